import { mountPage } from '../components/mount-page';
import { WorkspacePage } from './WorkspacePage';

void mountPage('workspace', ({ api }) => <WorkspacePage api={api} />);
