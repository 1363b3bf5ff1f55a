/** Notebook files (nbformat 4): read, write, and outputs collected from iopub messages. */
export {
  cloneNotebook,
  isRecord,
  joinText,
  NotebookFormatError,
  parseNotebook,
  readNotebook,
  serializeNotebook,
  splitLines,
  writeNotebook,
  type Cell,
  type NbgraderMetadata,
  type Notebook,
  type Output,
} from "./notebook";
export { OutputCollector, outputText, type IopubMessage, type IopubOutput } from "./outputs";
