import { ROLES, type AdminUser, type Role, type UpdateUserRequest } from '../../api/contracts';
import { formatDateTime } from '../../lib/format';

interface Props {
  user: AdminUser;
  isSelf: boolean;
  busy: boolean;
  onUpdate: (change: UpdateUserRequest) => void;
}

export function UserRow({ user, isSelf, busy, onUpdate }: Props) {
  const roleId = `role-${user.id}`;
  return (
    <tr data-testid="user-row">
      <th scope="row">
        {user.username}
        {isSelf && <span className="muted"> (you)</span>}
      </th>
      <td data-label="Email">{user.email}</td>
      <td data-label="Joined">{formatDateTime(user.createdAt)}</td>
      <td data-label="Role">
        <label htmlFor={roleId} className="visually-hidden">
          Role of {user.username}
        </label>
        <select
          id={roleId}
          value={user.role}
          disabled={busy || isSelf}
          onChange={(event) => onUpdate({ role: event.target.value as Role })}
        >
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
      </td>
      <td data-label="Status">
        <span className={user.disabled ? 'badge badge-failed' : 'badge badge-completed'}>
          {user.disabled ? 'Disabled' : 'Active'}
        </span>
      </td>
      <td>
        <button
          type="button"
          className="button"
          disabled={busy || isSelf}
          onClick={() => onUpdate({ disabled: !user.disabled })}
        >
          {user.disabled ? 'Enable' : 'Disable'} {user.username}
        </button>
      </td>
    </tr>
  );
}
