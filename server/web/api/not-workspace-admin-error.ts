/** The viewer is not an admin of the installation's workspace (as Bitbucket says); always 403. */
export class NotWorkspaceAdminError extends Error {
  readonly code = 'NOT_WORKSPACE_ADMIN' as const;
  readonly httpStatus = 403;
  readonly retryable = false;
  readonly retryAfterMs = null;
  constructor(message = 'Only workspace admins can see Bosun\'s settings, webhook deliveries and audit log. Ask an admin of this workspace in Bitbucket.') {
    super(message);
    this.name = 'NotWorkspaceAdminError';
  }
}
