import { MedicineBoxOutlined, RightOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Flex, Skeleton, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../auth/session.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { usePrefs } from '../../lib/prefs-context.tsx';
import { HealthDeclarationDrawer } from './HealthDeclarationDrawer.tsx';
import type { PortCall, QuarantineCase } from './types.ts';
import { CaseStateTag, ModeTag } from './ui.tsx';

/** The call's quarantine: its case (state, mode, certificate), the agent's declaration form, the officer's way to the case. */
export const QuarantinePanel = ({
  call,
  qcase,
  visible,
  loading,
  failed,
  onDeclared,
}: {
  call: PortCall;
  /** Whether the user's role may see quarantine cases (terminals see only the call's pratique). */
  visible: boolean;
  qcase: QuarantineCase | null;
  loading: boolean;
  failed: string | null;
  onDeclared: (c: QuarantineCase) => void;
}) => {
  const { t } = useTranslation();
  const { lang, timeZone } = usePrefs();
  const { can } = useSession();
  const [declaring, setDeclaring] = useState(false);
  const time = (iso: string | null | undefined) => formatDateTime(iso ?? null, lang, timeZone);
  const canDeclare = can('POST /api/v1/port-calls/:id/quarantine') && call.state !== 'departed' && call.state !== 'cancelled';

  if (loading) {
    return <Skeleton active paragraph={{ rows: 3 }} />;
  }
  return (
    <Flex vertical gap={12} data-testid="quarantine-panel">
      {call.pratiqueGrantedAt !== null ? (
        <Alert
          type="success"
          showIcon
          title={t('quarantine.panel.granted', { at: time(call.pratiqueGrantedAt) })}
          data-testid="pratique-granted"
        />
      ) : (
        <Alert type="warning" showIcon title={t('quarantine.panel.noPratique')} data-testid="no-pratique" />
      )}
      {failed !== null && <Alert type="error" showIcon title={t('quarantine.panel.loadFailed', { message: failed })} />}
      {!visible ? null : qcase === null ? (
        <Flex vertical gap={8} align="flex-start">
          <Typography.Text type="secondary">{t('quarantine.panel.none')}</Typography.Text>
          {canDeclare && (
            <Button type="primary" icon={<MedicineBoxOutlined />} onClick={() => setDeclaring(true)} data-testid="declare-health">
              {t('quarantine.declare.open')}
            </Button>
          )}
        </Flex>
      ) : (
        <>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('quarantine.col.state')}>
              <CaseStateTag state={qcase.state} />
              {qcase.lateDeclaration && <Tag color="orange">{t('quarantine.lateDeclaration')}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label={t('quarantine.col.mode')}>
              <ModeTag mode={qcase.mode ?? call.quarantineMode} />
              {qcase.mode === null && qcase.proposedMode !== null && (
                <Typography.Text type="secondary">
                  {t('quarantine.panel.proposed', {
                    mode: t(`quarantine.mode.${qcase.proposedMode}`, { defaultValue: qcase.proposedMode }),
                  })}
                </Typography.Text>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('quarantine.col.declaredAt')}>{time(qcase.declaredAt)}</Descriptions.Item>
            <Descriptions.Item label={t('quarantine.col.certificate')}>
              {qcase.certificateNo === null ? '—' : `${qcase.certificateNo} · ${time(qcase.certificateIssuedAt)}`}
            </Descriptions.Item>
            {qcase.durationMinutes !== null && (
              <Descriptions.Item label={t('quarantine.col.duration')}>
                {t('quarantine.minutes', { count: qcase.durationMinutes })}
              </Descriptions.Item>
            )}
          </Descriptions>
          {can('GET /api/v1/quarantine-cases/:id') && can('POST /api/v1/quarantine-cases/:id/mode') && (
            <Link to={`/quarantine/${encodeURIComponent(qcase.id)}`} data-testid="open-case">
              {t('quarantine.panel.openCase')} <RightOutlined />
            </Link>
          )}
        </>
      )}
      {canDeclare && (
        <HealthDeclarationDrawer
          call={call}
          open={declaring}
          onClose={() => setDeclaring(false)}
          onDeclared={(c) => {
            setDeclaring(false);
            onDeclared(c);
          }}
        />
      )}
    </Flex>
  );
};
