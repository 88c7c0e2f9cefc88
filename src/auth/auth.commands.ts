import { AppError } from '../core/errors.ts';
import type { Clock } from '../core/clock.ts';
import { newId } from '../core/ids.ts';
import { inTransaction, type DbOrTx } from '../db/tx.ts';
import { appendEvent, type Actor } from '../events/event-log.ts';
import { generateApiKey } from './api-keys.ts';
import { AuthErrorCode } from './auth.errors.ts';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.ts';
import type { Principal } from './principal.ts';
import { visibleTo } from './scope.ts';
import { ORG_KIND_OF_ROLE, type OrgKind, type Role } from './roles.ts';

export type OrganisationInput = { code: string; nameZh: string; nameEn: string; kind: OrgKind; districtCode: string | null };

export const createOrganisation = async (
  { db, clock }: { db: DbOrTx; clock: Clock },
  input: OrganisationInput,
  actor: Actor,
): Promise<{ id: string }> =>
  inTransaction(db, async (trx) => {
    const taken = await trx.selectFrom('organisations').select('id').where('code', '=', input.code).executeTakeFirst();
    if (taken !== undefined) {
      throw new AppError('CONFLICT', AuthErrorCode.ORGANISATION_CODE_TAKEN, `Organisation code ${input.code} is taken`, [
        { path: '/code', message: 'is already used by another organisation' },
      ]);
    }
    const id = newId('organisation', clock.now());
    await trx
      .insertInto('organisations')
      .values({
        id,
        code: input.code,
        name_zh: input.nameZh,
        name_en: input.nameEn,
        kind: input.kind,
        district_code: input.districtCode,
        created_at: clock.now(),
      })
      .execute();
    await appendEvent(trx, clock, {
      type: 'auth.organisation-created',
      aggregateType: 'organisation',
      aggregateId: id,
      orgIds: [id],
      districtCode: input.districtCode,
      actor,
      payload: { ...input },
    });
    return { id };
  });

export type UserInput = { orgId: string; username: string; displayName: string; role: Role; password: string };

/** Creates a user; the role must fit the organisation's kind (a trader cannot sit in a customs office). */
export const createUser = async ({ db, clock }: { db: DbOrTx; clock: Clock }, input: UserInput, actor: Actor): Promise<{ id: string }> => {
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('INVALID_INPUT', AuthErrorCode.WEAK_PASSWORD, `Password must have at least ${MIN_PASSWORD_LENGTH} characters`, [
      { path: '/password', message: `must have at least ${MIN_PASSWORD_LENGTH} characters` },
    ]);
  }
  const passwordHash = await hashPassword(input.password);
  return inTransaction(db, async (trx) => {
    const org = await trx
      .selectFrom('organisations')
      .select(['id', 'kind', 'district_code'])
      .where('id', '=', input.orgId)
      .executeTakeFirst();
    if (org === undefined) {
      throw new AppError('INVALID_INPUT', AuthErrorCode.UNKNOWN_ORGANISATION, `No organisation ${input.orgId}`, [
        { path: '/orgId', message: 'is not a known organisation' },
      ]);
    }
    if (ORG_KIND_OF_ROLE[input.role] !== org.kind) {
      throw new AppError(
        'INVALID_INPUT',
        AuthErrorCode.ROLE_ORG_MISMATCH,
        `Role ${input.role} needs a ${ORG_KIND_OF_ROLE[input.role]} organisation, not ${org.kind}`,
        [{ path: '/role', message: `does not fit a ${org.kind} organisation` }],
      );
    }
    const taken = await trx.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst();
    if (taken !== undefined) {
      throw new AppError('CONFLICT', AuthErrorCode.USERNAME_TAKEN, `Username ${input.username} is taken`, [
        { path: '/username', message: 'is already taken' },
      ]);
    }
    const id = newId('user', clock.now());
    await trx
      .insertInto('users')
      .values({
        id,
        org_id: input.orgId,
        username: input.username,
        display_name: input.displayName,
        role: input.role,
        password_hash: passwordHash,
        created_at: clock.now(),
      })
      .execute();
    await appendEvent(trx, clock, {
      type: 'auth.user-created',
      aggregateType: 'user',
      aggregateId: id,
      orgIds: [input.orgId],
      districtCode: org.district_code,
      actor,
      payload: { orgId: input.orgId, username: input.username, displayName: input.displayName, role: input.role },
    });
    return { id };
  });
};

/** Issues an API key for the caller's organisation with the caller's role; the key is returned once. */
export const createApiKey = async (
  { db, clock }: { db: DbOrTx; clock: Clock },
  principal: Principal,
  name: string,
): Promise<{ id: string; key: string; prefix: string; createdAt: Date }> =>
  inTransaction(db, async (trx) => {
    const { key, prefix, hash } = generateApiKey();
    const id = newId('apiKey', clock.now());
    const createdAt = clock.now();
    await trx
      .insertInto('api_keys')
      .values({
        id,
        org_id: principal.orgId,
        name,
        role: principal.role,
        prefix,
        key_hash: hash,
        created_by: principal.kind === 'user' ? principal.id : null,
        created_at: createdAt,
      })
      .execute();
    await appendEvent(trx, clock, {
      type: 'auth.api-key-created',
      aggregateType: 'api-key',
      aggregateId: id,
      orgIds: [principal.orgId],
      districtCode: principal.districtCode,
      actor: { type: principal.kind, id: principal.id },
      payload: { name, prefix, role: principal.role },
    });
    return { id, key, prefix, createdAt };
  });

export const revokeApiKey = async ({ db, clock }: { db: DbOrTx; clock: Clock }, principal: Principal, id: string): Promise<void> =>
  inTransaction(db, async (trx) => {
    const res = await trx
      .updateTable('api_keys')
      .set({ revoked_at: clock.now() })
      .where('id', '=', id)
      .where(visibleTo('api_keys', principal))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) {
      throw new AppError('NOT_FOUND', AuthErrorCode.API_KEY_NOT_FOUND, `No active API key ${id} visible to you`);
    }
    await appendEvent(trx, clock, {
      type: 'auth.api-key-revoked',
      aggregateType: 'api-key',
      aggregateId: id,
      orgIds: [principal.orgId],
      districtCode: principal.districtCode,
      actor: { type: principal.kind, id: principal.id },
      payload: {},
    });
  });
