import type { CiDeliveryRecord, CiIntegration, CiIntegrationStore } from './ci';
import type { CiIntegrationView, CiIntegrationViews, CiProviderName } from './web/api/ci-integration-views';

const SECRET_PLACEHOLDER = '<the secret shown when the integration was created or last rotated>';

/** A ready-to-paste setup per provider (docs/ci-generic-format.md for the generic body). */
export function toCiSnippet(provider: CiProviderName, endpointUrl: string, secret: string): string {
  switch (provider) {
    case 'generic':
      return [
        '# Any CI: post the build result, signed with the integration secret (store it as BOSUN_CI_SECRET).',
        `BODY='{"version":1,"commit":"'"$COMMIT_SHA"'","check":"build","state":"success","url":"'"$BUILD_URL"'"}'`,
        `SIG=$(printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$BOSUN_CI_SECRET" | sed 's/^.* //')`,
        `curl -fsS -X POST '${endpointUrl}' -H 'Content-Type: application/json' -H "X-Bosun-Signature: sha256=$SIG" --data "$BODY"`,
        `# BOSUN_CI_SECRET=${secret}`,
      ].join('\n');
    case 'github-actions':
      return [
        '# GitHub: Settings → Webhooks → Add webhook',
        `#   Payload URL: ${endpointUrl}`,
        '#   Content type: application/json',
        `#   Secret: ${secret}`,
        '#   Events: Workflow runs, Check runs',
        '# Or as the last step of a job (secret in secrets.BOSUN_CI_SECRET), reporting in the generic format:',
        '- name: Report to Bosun',
        '  if: always()',
        '  env:',
        '    BOSUN_CI_SECRET: ${{ secrets.BOSUN_CI_SECRET }}',
        '  run: |',
        `    STATE=$([ "\${{ job.status }}" = success ] && echo success || echo failure)`,
        `    BODY='{"version":1,"commit":"\${{ github.sha }}","branch":"\${{ github.head_ref || github.ref_name }}","check":"\${{ github.workflow }}/\${{ github.job }}","state":"'$STATE'","url":"\${{ github.server_url }}/\${{ github.repository }}/actions/runs/\${{ github.run_id }}","run":{"number":\${{ github.run_number }},"attempt":\${{ github.run_attempt }}}}'`,
        `    SIG=$(printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$BOSUN_CI_SECRET" | sed 's/^.* //')`,
        `    curl -fsS -X POST '${endpointUrl.replace('/ci/github-actions/', '/ci/generic/')}' -H 'Content-Type: application/json' -H "X-Bosun-Signature: sha256=$SIG" --data "$BODY"`,
      ].join('\n');
    case 'gitlab':
      return [
        '# GitLab: Settings → Webhooks → Add new webhook',
        `#   URL: ${endpointUrl}`,
        `#   Secret token: ${secret}`,
        '#   Trigger: Pipeline events, Job events',
      ].join('\n');
    case 'jenkins':
      return [
        '// Jenkins: Notification plugin (Job → Job Notifications): Format JSON, Protocol HTTP,',
        `//   Event: All Events, URL: ${endpointUrl}`,
        '// The plugin cannot send a header: from a Jenkinsfile instead (credential "bosun-ci-secret"),',
        'post { always { withCredentials([string(credentialsId: "bosun-ci-secret", variable: "BOSUN_CI_SECRET")]) {',
        `  sh """curl -fsS -X POST '${endpointUrl}' -H 'Content-Type: application/json' -H "Authorization: Bearer \\$BOSUN_CI_SECRET" \\\\`,
        `    --data '{"name":"\${env.JOB_NAME}","build":{"full_url":"\${env.BUILD_URL}","number":\${env.BUILD_NUMBER},"phase":"COMPLETED","status":"\${currentBuild.currentResult}","scm":{"commit":"\${env.GIT_COMMIT}","branch":"\${env.GIT_BRANCH}"}}}'"""`,
        '} } }',
        `// bosun-ci-secret = ${secret}`,
      ].join('\n');
    case 'circleci':
      return [
        '# CircleCI: Project Settings → Webhooks → Add Webhook',
        `#   Receiver URL: ${endpointUrl}`,
        `#   Secret token: ${secret}`,
        '#   Events: Workflow Completed, Job Completed',
      ].join('\n');
  }
}

function toDeliveryView(record: CiDeliveryRecord) {
  return { ...record, receivedAt: record.receivedAt.toISOString() };
}

/** Admin views of CI integrations over the store; the secret leaves only in create and rotate answers. */
export function createCiIntegrationViews(deps: { integrations: CiIntegrationStore; baseUrl: string }): CiIntegrationViews {
  const endpointOf = (integration: CiIntegration) => `${deps.baseUrl.replace(/\/+$/, '')}/ci/${integration.provider}/${integration.id}`;
  const toView = async (integration: CiIntegration, secret: string | null): Promise<CiIntegrationView> => ({
    id: integration.id,
    provider: integration.provider,
    name: integration.name,
    repository: integration.repository,
    endpointUrl: endpointOf(integration),
    snippet: toCiSnippet(integration.provider, endpointOf(integration), secret ?? SECRET_PLACEHOLDER),
    createdAt: integration.createdAt.toISOString(),
    rotatedAt: integration.rotatedAt?.toISOString() ?? null,
    lastDeliveries: (await deps.integrations.listDeliveries(integration.clientKey, integration.id, 10)).map(toDeliveryView),
  });
  return {
    async list(tenant) {
      const integrations = await deps.integrations.list(tenant.clientKey);
      return Promise.all(integrations.map((integration) => toView(integration, null)));
    },
    async create(tenant, input, createdBy) {
      const { integration, secret } = await deps.integrations.create({ clientKey: tenant.clientKey, ...input, createdBy });
      return { ...(await toView(integration, secret)), secret };
    },
    async rotate(tenant, id) {
      const rotated = await deps.integrations.rotate(tenant.clientKey, id);
      return rotated ? { ...(await toView(rotated.integration, rotated.secret)), secret: rotated.secret } : null;
    },
    remove: (tenant, id) => deps.integrations.delete(tenant.clientKey, id),
  };
}
