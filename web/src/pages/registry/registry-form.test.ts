import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import i18n from '../../i18n/index.ts';
import { ENTITY_NAMES, entityDef } from './entities.ts';
import { initialValues, toBody } from './form-values.ts';
import { mapServerErrors, translateServerMessage } from './server-errors.ts';

const zh = i18n.getFixedT('zh-CN');
const en = i18n.getFixedT('en-US');

describe('server validation errors on the form', () => {
  const berthFields = new Set([...entityDef('berths').fields.map((f) => f.key), 'validFrom', 'validTo']);

  it('puts each detail on its field, translated, and keeps the rest for a banner', () => {
    const mapped = mapServerErrors(
      [
        { path: '/lengthM', message: 'must be <= 5000' },
        { path: '/maxDwt', message: 'must be >= 1' },
        { path: '/maxDwt', message: 'must be null' },
        { path: '/maxDwt', message: 'must match a schema in anyOf' },
        { path: '/cargoTypes/1', message: 'must be equal to constant' },
        { path: '/terminalId', message: 'no terminal term_x valid on 2026-01-01' },
        { path: '/', message: 'something about the whole body' },
      ],
      berthFields,
      zh,
    );
    expect(mapped.fields).toEqual([
      { name: 'lengthM', errors: ['不能大于 5000'] },
      { name: 'maxDwt', errors: ['不能小于 1'] },
      { name: 'cargoTypes', errors: ['不是允许的取值'] },
      { name: 'terminalId', errors: ['引用的记录在 2026-01-01 不存在或无效'] },
    ]);
    expect(mapped.general).toEqual(['校验未通过：something about the whole body']);
  });

  it('marks the duplicate code the server reports with 409', () => {
    const mapped = mapServerErrors(
      [
        { path: '/terminalId', message: 'already used in an overlapping period' },
        { path: '/code', message: 'already used in an overlapping period' },
      ],
      berthFields,
      en,
    );
    expect(mapped.fields.map((f) => f.name)).toEqual(['terminalId', 'code']);
    expect(mapped.fields[1]?.errors).toEqual(['Already used by another record in an overlapping period']);
  });

  it('keeps a check reason it does not know, and translates the standard ones in English too', () => {
    expect(translateServerMessage('IMO number "9321484" fails its check digit', en)).toBe(
      'Check failed: IMO number "9321484" fails its check digit',
    );
    expect(translateServerMessage('is required', en)).toBe('Required');
    expect(translateServerMessage('must NOT have more than 200 characters', zh)).toBe('不能超过 200 个字符');
    expect(translateServerMessage('must not be after 2027-01-01, when the next version starts', zh)).toBe(
      '不能晚于下一版本的生效日期 2027-01-01',
    );
  });

  it('sends path-less or unknown-field errors to the banner', () => {
    const mapped = mapServerErrors([{ path: '/query/limit', message: 'must be <= 500' }], berthFields, en);
    expect(mapped.fields).toEqual([]);
    expect(mapped.general).toEqual(['/query/limit: Must be at most 500']);
  });
});

describe('registry form values', () => {
  it('turns a berth form into the body the API expects', () => {
    const body = toBody(
      entityDef('berths'),
      {
        terminalId: 'term_1',
        code: ' qqct-09 ',
        nameZh: '测试泊位',
        nameEn: 'Test berth',
        lengthM: 350,
        depthM: 17.5,
        maxDwt: undefined,
        cargoTypes: ['container'],
        supervisionSiteId: 'site_1',
        validFrom: null,
      },
      'create',
    );
    expect(body).toEqual({
      terminalId: 'term_1',
      code: 'qqct-09',
      nameZh: '测试泊位',
      nameEn: 'Test berth',
      lengthM: 350,
      depthM: 17.5,
      maxDwt: null,
      cargoTypes: ['container'],
      supervisionSiteId: 'site_1',
    });
  });

  it('upper-cases codes that are upper case, sends empty optional codes as null, and dates as YYYY-MM-DD', () => {
    const body = toBody(
      entityDef('inland-ports'),
      { code: 'IP-X', nameZh: 'x', nameEn: 'x', province: 'Henan', locode: '', customsCode: '4600', validFrom: dayjs('2027-03-01') },
      'version',
    );
    expect(body.locode).toBeNull();
    expect(body.operatorOrgId).toBeNull();
    expect(body.validFrom).toBe('2027-03-01');
    expect(body).not.toHaveProperty('validTo');
    expect(toBody(entityDef('ports'), { locode: 'cnqgd' }, 'create').locode).toBe('CNQGD');
  });

  it('starts a new version from the record it replaces, valid from today', () => {
    const values = initialValues(entityDef('laboratories'), {
      kind: 'version',
      record: {
        id: 'lab_1',
        validFrom: '2014-09-10',
        validTo: null,
        code: 'LAB',
        nameZh: '实验室',
        nameEn: 'Lab',
        customsCode: '4200',
        accredited: true,
        orgId: null,
      },
    });
    expect(values).toMatchObject({ code: 'LAB', accredited: true, customsCode: '4200', orgId: undefined });
    expect(dayjs.isDayjs(values.validFrom)).toBe(true);
  });

  it('has a label, and enum labels, in both languages for every field of every entity', () => {
    for (const name of ENTITY_NAMES) {
      for (const lang of ['zh-CN', 'en-US'] as const) {
        const t = i18n.getFixedT(lang);
        expect(i18n.exists(`entities.${name}.title`, { lng: lang }), `${lang} entities.${name}.title`).toBe(true);
        for (const f of entityDef(name).fields) {
          const key = f.label ?? `fields.${f.key}`;
          expect(i18n.exists(key, { lng: lang }), `${lang} ${key}`).toBe(true);
          for (const v of f.values ?? []) {
            expect(i18n.exists(`enums.${f.enumKey ?? ''}.${v}`, { lng: lang }), `${lang} enums.${f.enumKey ?? ''}.${v}`).toBe(true);
          }
          if (f.unit !== undefined) {
            expect(t(`units.${f.unit}`)).not.toBe(`units.${f.unit}`);
          }
        }
      }
    }
  });
});
