import { useQueries } from '@tanstack/react-query';
import { Tag } from 'antd';
import type { FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldError } from '../../api/client.ts';
import { fetchAll, todayIn, type Berth, type Port, type PortArea, type Terminal } from '../../components/map/registry-data.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import { translateServerMessage } from '../registry/server-errors.ts';
import { isoToWall, placeErrors, wallToIso, type PlacedErrors } from './model.ts';
import type { CallState, CaseState } from './types.ts';

export const STATE_COLORS: Record<CallState, string> = {
  'pre-reported': 'default',
  confirmed: 'blue',
  arrived: 'cyan',
  berthed: 'geekblue',
  'departure-reported': 'purple',
  departed: 'green',
  cancelled: 'red',
};

export const CASE_COLORS: Record<CaseState, string> = {
  assessed: 'blue',
  'mode-assigned': 'cyan',
  'remote-session': 'geekblue',
  boarding: 'orange',
  'pratique-granted': 'green',
};

export const StateTag = ({ state }: { state: CallState }) => {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLORS[state]} data-testid="call-state">
      {t(`portCalls.state.${state}`)}
    </Tag>
  );
};

export const CaseStateTag = ({ state }: { state: CaseState }) => {
  const { t } = useTranslation();
  return (
    <Tag color={CASE_COLORS[state]} data-testid="case-state">
      {t(`quarantine.state.${state}`, { defaultValue: state })}
    </Tag>
  );
};

export const ModeTag = ({ mode, color }: { mode: string | null | undefined; color?: string }) => {
  const { t } = useTranslation();
  if (mode === null || mode === undefined) {
    return <span>—</span>;
  }
  return <Tag color={color ?? 'blue'}>{t(`quarantine.mode.${mode}`, { defaultValue: mode })}</Tag>;
};

/** A picker's wall-clock value, read in the user's time zone (not the browser's), as an ISO instant. */
export const pickedIso = (d: Dayjs | null | undefined, timeZone: string): string | undefined =>
  d === null || d === undefined ? undefined : wallToIso(d.format('YYYY-MM-DDTHH:mm'), timeZone);

/** An instant as a picker value showing the user's time zone's clock. */
export const pickerValue = (iso: string | null | undefined, timeZone: string): Dayjs | undefined =>
  iso === null || iso === undefined ? undefined : dayjs(isoToWall(iso, timeZone));

export const DATE_TIME_FORMAT = 'YYYY-MM-DD HH:mm';

/** Server details placed on a form's fields, translated where the validator's message is a standard one. */
export const useServerErrors = () => {
  const { t } = useTranslation();
  return (details: FieldError[], known: ReadonlySet<string>, aliases?: Record<string, string>): PlacedErrors =>
    placeErrors(details, known, (m) => translateServerMessage(m, t), aliases);
};

/** Placed errors as antd form field data (the form's names are checked by placeErrors' `known`, not by the type). */
export const fieldData = <V,>(fields: PlacedErrors['fields']): Parameters<FormInstance<V>['setFields']>[0] =>
  fields.map((f) => ({ name: f.name, errors: f.errors })) as unknown as Parameters<FormInstance<V>['setFields']>[0];

export type BerthInfo = Berth & { terminal: Terminal | undefined; portId: string | undefined };

/** Ports, and the berths of the cluster with their terminal and port, valid today (cached with the port pages' lists). */
export const useCluster = () => {
  const { timeZone } = usePrefs();
  const asOf = todayIn(timeZone);
  const [portsQ, areasQ, terminalsQ, berthsQ] = useQueries({
    queries: [
      { queryKey: ['cluster', 'ports', asOf], queryFn: () => fetchAll<Port>('ports', { asOf }), staleTime: 300_000 },
      { queryKey: ['cluster', 'port-areas', asOf], queryFn: () => fetchAll<PortArea>('port-areas', { asOf }), staleTime: 300_000 },
      { queryKey: ['cluster', 'terminals', asOf], queryFn: () => fetchAll<Terminal>('terminals', { asOf }), staleTime: 300_000 },
      { queryKey: ['cluster', 'berths', asOf], queryFn: () => fetchAll<Berth>('berths', { asOf }), staleTime: 300_000 },
    ],
  });
  return useMemo(() => {
    const ports = portsQ.data ?? [];
    const areaPort = new Map((areasQ.data ?? []).map((a) => [a.id, a.portId]));
    const terminals = new Map((terminalsQ.data ?? []).map((x) => [x.id, x]));
    const berths: BerthInfo[] = (berthsQ.data ?? []).map((b) => {
      const terminal = terminals.get(b.terminalId);
      return { ...b, terminal, portId: terminal === undefined ? undefined : areaPort.get(terminal.portAreaId) };
    });
    const berthById = new Map(berths.map((b) => [b.id, b]));
    const portByLocode = new Map(ports.map((p) => [p.locode, p]));
    return {
      ports,
      berths,
      berthById,
      portByLocode,
      berthsOfPort: (locode: string): BerthInfo[] => {
        const port = portByLocode.get(locode);
        return port === undefined ? [] : berths.filter((b) => b.portId === port.id).sort((a, b) => a.code.localeCompare(b.code));
      },
      berthCode: (id: string | null | undefined): string | null =>
        id === null || id === undefined ? null : (berthById.get(id)?.code ?? id),
    };
  }, [portsQ.data, areasQ.data, terminalsQ.data, berthsQ.data]);
};
