/** A Jupyter message header, exactly as it travels on the wire (snake_case kept). */
export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
  /** Other keys a client may add; kept as received. */
  [key: string]: unknown;
}
