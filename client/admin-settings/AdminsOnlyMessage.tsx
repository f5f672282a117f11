import { PageShell } from '../components/PageShell';

/** What someone who is not a workspace admin sees instead of the settings: why, and who to ask. */
export const AdminsOnlyMessage = () => (
  <PageShell testId="admins-only" title="Only workspace admins can see Bosun's settings">
    <p>
      Bitbucket says you are not an admin of this workspace. Bosun&apos;s settings, webhook deliveries and audit log are shown
      to workspace admins only; ask one of them if you need something changed.
    </p>
  </PageShell>
);
