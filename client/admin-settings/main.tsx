import { mountPage } from '../components/mount-page';
import { ResourceView } from '../components/ResourceView';
import { AdminSettings } from './AdminSettings';
import { AuditLog } from './AuditLog';

void mountPage('admin-settings', ({ api }) => {
  const load = () => api.getAdminSettings();
  return (
    <ResourceView load={load} loadingLabel="Loading settings">
      {(view) => <AdminSettings view={view} auditLog={<AuditLog api={api} />} />}
    </ResourceView>
  );
});
