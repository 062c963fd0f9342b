import { useRef, useState } from 'react';
import { ROLES, type AdminUser, type Role, type UpdateUserRequest } from '../../api/contracts';
import { ConfirmStep } from '../../components/confirm-step';
import { formatDateTime } from '../../lib/format';

interface Props {
  user: AdminUser;
  isSelf: boolean;
  busy: boolean;
  onUpdate: (change: UpdateUserRequest) => void;
}

/** What the admin is asked before a change applies. */
function questionOf(user: AdminUser, change: UpdateUserRequest): { question: string; confirm: string } {
  if (change.role) return { question: `Make ${user.username} a ${change.role}?`, confirm: `Yes, make ${change.role}` };
  return change.disabled
    ? { question: `Disable ${user.username}? They can no longer log in.`, confirm: `Yes, disable ${user.username}` }
    : { question: `Enable ${user.username} again?`, confirm: `Yes, enable ${user.username}` };
}

export function UserRow({ user, isSelf, busy, onUpdate }: Props) {
  const roleId = `role-${user.id}`;
  const [pending, setPending] = useState<UpdateUserRequest | null>(null);
  const roleRef = useRef<HTMLSelectElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  // Focus goes back where the change started: the select or the button (rendered again once the question closes).
  const close = () => {
    const from = pending?.role ? roleRef : toggleRef;
    setPending(null);
    requestAnimationFrame(() => from.current?.focus());
  };
  const asked = pending && questionOf(user, pending);

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
          ref={roleRef}
          id={roleId}
          value={pending?.role ?? user.role}
          disabled={busy || isSelf}
          onChange={(event) => {
            const role = event.target.value as Role;
            setPending(role === user.role ? null : { role });
          }}
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
        {pending && asked ? (
          <ConfirmStep
            question={asked.question}
            confirmLabel={asked.confirm}
            cancelLabel="Cancel"
            onConfirm={() => {
              onUpdate(pending);
              close();
            }}
            onCancel={close}
          />
        ) : (
          <button
            ref={toggleRef}
            type="button"
            className="button"
            disabled={busy || isSelf}
            onClick={() => setPending({ disabled: !user.disabled })}
          >
            {user.disabled ? 'Enable' : 'Disable'} {user.username}
          </button>
        )}
      </td>
    </tr>
  );
}
