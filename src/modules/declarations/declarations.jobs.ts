import type { JobDefinition } from '../../jobs/runner.ts';
import { observeArrivals } from './declarations.commands.ts';

/** Job name of the arrival sweep (src/jobs/schedule.ts enqueues it every minute). */
export const RELEASE_ON_ARRIVAL_JOB = 'declarations.release-on-arrival';

export const declarationJobs = (): JobDefinition[] => [
  {
    name: RELEASE_ON_ARRIVAL_JOB,
    handler: async ({ db, clock }) => {
      await observeArrivals({ db, clock });
    },
  },
];
