import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { meaningIn } from './model.ts';
import type { Instruction } from './types.ts';

/** A code with its meaning: the server's words on a row, the catalogue's in pickers (before there is a row). */
export const CodeTag = ({ code, meaning }: { code: string; meaning?: Instruction['meaning'] }) => {
  const { t, i18n } = useTranslation();
  const m = meaning === undefined ? null : meaningIn(meaning, i18n.language);
  return (
    <Tooltip title={m?.other}>
      <span data-testid="instruction-code">
        <Tag color={code === 'A' || code === 'B' ? 'red' : code === '8' ? 'default' : 'green'}>{code}</Tag>
        {m?.main ?? t(`terminal.code.${code}`, { defaultValue: code })}
      </span>
    </Tooltip>
  );
};
