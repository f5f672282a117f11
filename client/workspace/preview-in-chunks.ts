import type { TemplatePreviewView } from '../../server/web/api/template-views';
import type { ApiClient } from '../api/create-api-client';

/** The preview API takes at most this many repositories per call (it reads the mirror, so calls are cheap). */
export const PREVIEW_CHUNK = 500;

/** A preview of any number of repositories, asked of the API 500 at a time and put back together. */
export const previewInChunks = async (api: Pick<ApiClient, 'previewTemplate'>, template: string, repos: readonly string[]): Promise<TemplatePreviewView> => {
  const repositories: TemplatePreviewView['repositories'] = [];
  for (let i = 0; i < repos.length; i += PREVIEW_CHUNK) {
    const part = await api.previewTemplate(template, repos.slice(i, i + PREVIEW_CHUNK));
    repositories.push(...part.repositories);
  }
  return { template, repositories };
};
