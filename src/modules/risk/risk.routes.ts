import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../core/clock.ts';
import type { Db } from '../../db/client.ts';

export const riskRoutes = (_app: FastifyInstance, _deps: { db: Db; clock: Clock }): void => {};
