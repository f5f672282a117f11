import SectionMessage from '@atlaskit/section-message/message';
import SectionMessageAction from '@atlaskit/section-message/message-action';
import { ApiError } from '../api/api-error';
import { toErrorNotice } from '../api/to-error-notice';

export interface ErrorMessageProps {
  error: unknown;
}

const reload = (): void => window.location.reload();

/** Any failure as an Atlaskit SectionMessage, with a reload action when reloading can help. */
export const ErrorMessage = ({ error }: ErrorMessageProps) => {
  const notice = toErrorNotice(error);
  const canReload = error instanceof ApiError && (error.status === 401 || error.status === 0 || error.status >= 500);
  return (
    <div className="bosun-error" data-testid="error-message">
      <SectionMessage
        appearance={notice.appearance}
        title={notice.title}
        actions={canReload ? <SectionMessageAction onClick={reload}>Reload</SectionMessageAction> : undefined}
      >
        <p>{notice.body}</p>
      </SectionMessage>
    </div>
  );
};
