import type { DataFrame } from '../dataframe/dataframe.js';

export class DataFrameWriter {
  constructor(readonly df: DataFrame) {}
}
