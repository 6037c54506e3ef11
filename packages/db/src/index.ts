export {
  type DatabaseHandle,
  type DatabaseOptions,
  migrationsFolder,
  openDatabase,
  type SluiceDatabase,
} from './client.js';
export * from './schema.js';
