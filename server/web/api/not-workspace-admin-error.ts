import { PermanentError } from '../../errors';
/** The viewer is not an admin of the installation's workspace (as Bitbucket says); always 403. */
export class NotWorkspaceAdminError extends PermanentError<'NOT_WORKSPACE_ADMIN'> {
  constructor(message = 'Only workspace admins can see Bosun\'s settings, webhook deliveries and audit log. Ask an admin of this workspace in Bitbucket.') {
    super('NOT_WORKSPACE_ADMIN', 403, message);
  }
}
