import type { Session } from '../session/session.js';

export class DataFrameReader {
  constructor(readonly session: Session) {}
}
