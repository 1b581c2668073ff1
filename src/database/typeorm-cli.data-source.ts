/** Entry for the TypeORM CLI (`migration:generate`, `migration:show`); reads DATABASE_URL through the config. */
import { loadConfigOrExit } from '../config/config.js';
import { createDataSource } from './data-source.js';

export default createDataSource(loadConfigOrExit(process.env).databaseUrl);
