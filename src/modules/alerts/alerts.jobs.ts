import { AppError } from '../../core/errors.ts';
import type { JobDefinition } from '../../jobs/runner.ts';
import { PolicyErrorCode } from '../policies/index.ts';
import { evaluateAlerts } from './alerts.evaluate.ts';

/** Job name of the scheduled evaluation (src/jobs/schedule.ts enqueues it). */
export const ALERTS_EVALUATE_JOB = 'alerts.evaluate';

export const alertJobs = (): JobDefinition[] => [
  {
    name: ALERTS_EVALUATE_JOB,
    handler: async ({ db, clock }) => {
      try {
        await evaluateAlerts({ db, clock });
      } catch (err) {
        // no rules published yet (a fresh database before the seed): nothing to evaluate, not a failure
        if (err instanceof AppError && err.code === PolicyErrorCode.NONE_IN_FORCE) {
          return;
        }
        throw err;
      }
    },
  },
];
