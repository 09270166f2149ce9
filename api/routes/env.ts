import type { Kysely } from 'kysely';
import type { Connection } from '../../db/connect.ts';
import type { Database } from '../../db/database.ts';
import type { Config } from '../config.ts';

/** What every route can reach: the service's dependencies, set once per app. */
export interface AppDependencies {
  readonly connection: Connection;
  readonly config: Config;
  /** The built survey app and console; survey-app/dist by default (api/routes/static.ts). */
  readonly appDir?: string;
  /** The clock: what "today" is for a plan's overdue tasks (Vietnam's day of it). */
  readonly now?: () => Date;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    db: Kysely<Database>;
    deps: AppDependencies;
  };
}
