/** The user_expressions key under which the grader asks the executor for its integrity report (and gets it). */
export const INTEGRITY_KEY = "spindle.integrity";
