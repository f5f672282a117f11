import { mountPage } from '../components/mount-page';
import { ResourceView } from '../components/ResourceView';
import { AdminSettings } from './AdminSettings';
import { AdminsOnlyMessage } from './AdminsOnlyMessage';
import { AuditLog } from './AuditLog';
import { CiIntegrations } from './CiIntegrations';
import { loadAdminSettings } from './load-admin-settings';
import { MergeQueueSettings } from './MergeQueueSettings';
import { PolicyEditor } from './PolicyEditor';
import { RepositoryPolicyEditor } from './RepositoryPolicyEditor';
import { TemplateEditor } from './TemplateEditor';

void mountPage('admin-settings', ({ api }) => {
  const load = () => loadAdminSettings(api);
  return (
    <ResourceView load={load} loadingLabel="Loading settings">
      {(loaded) =>
        loaded.kind === 'admins-only' ? (
          <AdminsOnlyMessage />
        ) : (
          <AdminSettings
            view={loaded.view}
            liveApi={api}
            policy={
              <>
                <PolicyEditor api={api} />
                <RepositoryPolicyEditor api={api} />
                <TemplateEditor api={api} />
                <MergeQueueSettings api={api} />
              </>
            }
            ci={<CiIntegrations api={api} />}
            auditLog={<AuditLog api={api} />}
          />
        )
      }
    </ResourceView>
  );
});
