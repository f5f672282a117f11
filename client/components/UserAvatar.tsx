import Avatar from '@atlaskit/avatar/avatar';
import type { UserView } from '../../server/web/api/contracts';

export interface UserAvatarProps {
  user: UserView | null;
  size?: 'small' | 'medium';
  /** A badge on the avatar, e.g. approved or declined for a reviewer. */
  status?: 'approved' | 'declined';
  /** Show the display name next to the avatar. */
  showName?: boolean;
}

/** A Bitbucket user's avatar, optionally with their display name; "Unknown user" when null. */
export const UserAvatar = ({ user, size = 'small', status, showName = true }: UserAvatarProps) => {
  const name = user?.displayName ?? 'Unknown user';
  return (
    <span className="bosun-user" title={user?.nickname ?? name}>
      <Avatar size={size} name={name} src={user?.avatarUrl ?? undefined} status={status} />
      {showName ? <span className="bosun-user__name">{name}</span> : null}
    </span>
  );
};
