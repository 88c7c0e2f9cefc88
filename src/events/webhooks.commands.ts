import type { Clock } from '../core/clock.ts';
import { AppError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Db } from '../db/client.ts';
import type { Principal } from '../auth/principal.ts';
import { visibleTo } from '../auth/scope.ts';
import { appendEvent } from './event-log.ts';
import { newWebhookSecret } from './webhooks.ts';

export const WebhookErrorCode = {
  /** No such subscription in the caller's organisation. */
  NOT_FOUND: 'webhooks.not-found',
  /** The URL is not http(s) or carries credentials. */
  INVALID_URL: 'webhooks.invalid-url',
} as const;

const assertWebhookUrl = (raw: string): string => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('INVALID_INPUT', WebhookErrorCode.INVALID_URL, 'url is not a valid URL', [
      { path: '/url', message: 'is not a valid URL' },
    ]);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('INVALID_INPUT', WebhookErrorCode.INVALID_URL, 'url must be http or https', [
      { path: '/url', message: 'must be http or https' },
    ]);
  }
  if (url.username !== '' || url.password !== '') {
    throw new AppError('INVALID_INPUT', WebhookErrorCode.INVALID_URL, 'url must not carry credentials', [
      { path: '/url', message: 'must not carry credentials; verify the signature instead' },
    ]);
  }
  return url.toString();
};

export const createSubscription = async (
  { db, clock }: { db: Db; clock: Clock },
  p: Principal,
  input: { url: string; eventTypes: string[] },
): Promise<{ id: string; url: string; secret: string; eventTypes: string[]; createdAt: Date }> => {
  const url = assertWebhookUrl(input.url);
  return db.transaction().execute(async (trx) => {
    const id = newId('webhookSubscription', clock.now());
    const secret = newWebhookSecret();
    const createdAt = clock.now();
    const eventTypes = [...new Set(input.eventTypes)].sort();
    await trx
      .insertInto('webhook_subscriptions')
      .values({ id, org_id: p.orgId, url, secret, event_types: eventTypes, created_by: p.id, created_at: createdAt })
      .execute();
    await appendEvent(trx, clock, {
      type: 'webhooks.subscription-created',
      aggregateType: 'webhook-subscription',
      aggregateId: id,
      orgIds: [p.orgId],
      actor: { type: p.kind, id: p.id },
      payload: { url, eventTypes },
    });
    return { id, url, secret, eventTypes, createdAt };
  });
};

export const deactivateSubscription = async ({ db, clock }: { db: Db; clock: Clock }, p: Principal, id: string): Promise<void> =>
  db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('webhook_subscriptions')
      .set({ active: false })
      .where('id', '=', id)
      .where('active', '=', true)
      .where(visibleTo('webhook_subscriptions', p))
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) {
      throw new AppError('NOT_FOUND', WebhookErrorCode.NOT_FOUND, `No active webhook subscription ${id} visible to you`);
    }
    await appendEvent(trx, clock, {
      type: 'webhooks.subscription-deactivated',
      aggregateType: 'webhook-subscription',
      aggregateId: id,
      orgIds: [p.orgId],
      actor: { type: p.kind, id: p.id },
      payload: {},
    });
  });
