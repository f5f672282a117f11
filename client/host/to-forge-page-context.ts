import type { PageContext, PageName } from '../api/boot-context';
import { PAGE_NAMES } from '../api/boot-context';
import { BootContextError } from '../api/boot-context-error';

/** What Bosun's `/forge/invoke` answers a Forge page's first call (server/forge/forge-remote-router.ts). */
export interface ForgeBootAnswer {
  page: PageName;
  userUuid: string | null;
  accountId: string | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const textOrNull = (value: unknown): string | null => {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value !== '' ? value : null;
};

/** Reads Bosun's answer to the boot call; throws BootContextError when it is not one. */
export const toForgeBootAnswer = (body: unknown): ForgeBootAnswer => {
  if (!isRecord(body)) throw new BootContextError('Bosun did not answer the Forge page\'s boot call');
  const page = body.page;
  if (typeof page !== 'string' || !(PAGE_NAMES as readonly string[]).includes(page)) throw new BootContextError('Bosun named no page for this Forge module');
  return { page: page as PageName, userUuid: textOrNull(body.userUuid), accountId: textOrNull(body.accountId) };
};

/**
 * The page context of a Forge page, from view.getContext() and Bosun's boot answer. Bitbucket's
 * module context names the repository and pull request in `extension` (`extension.repository.uuid`
 * and `full_name`, `extension.pullRequest.id`: unverified against Bitbucket, the sandbox sends this
 * shape); the viewer's Bitbucket uuid comes from Bosun, which asked Bitbucket with their token.
 */
export const toForgePageContext = (context: unknown, boot: ForgeBootAnswer): PageContext => {
  if (!isRecord(context)) throw new BootContextError('Forge gave this page no context');
  const extension = isRecord(context.extension) ? context.extension : {};
  const repository = isRecord(extension.repository) ? extension.repository : {};
  const pullRequest = isRecord(extension.pullRequest) ? extension.pullRequest : {};
  const siteUrl = textOrNull(context.siteUrl);
  if (!siteUrl) throw new BootContextError('Forge\'s context has no siteUrl');
  return {
    page: boot.page,
    repoUuid: textOrNull(repository.uuid),
    repoFullName: textOrNull(repository.full_name) ?? textOrNull(repository.fullName),
    prId: textOrNull(pullRequest.id),
    userUuid: boot.userUuid,
    accountId: textOrNull(context.accountId) ?? boot.accountId,
    hostBaseUrl: siteUrl,
  };
};
