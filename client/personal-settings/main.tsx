import { mountPage } from '../components/mount-page';
import { ResourceView } from '../components/ResourceView';
import { PersonalSettings } from './PersonalSettings';

void mountPage('personal-settings', ({ api }) => {
  const load = () => api.getPersonalSettings();
  return (
    <ResourceView load={load} loadingLabel="Loading your settings">
      {(view, { reload }) => <PersonalSettings view={view} api={api} reload={reload} />}
    </ResourceView>
  );
});
