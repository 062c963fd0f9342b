import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { listUsers, updateUser } from '../../api/auth-api';
import { CONTRACT_RULES, type AdminUser, type UpdateUserRequest } from '../../api/contracts';
import { describeError } from '../../api/error-messages';
import { queryKeys, replaceInPages } from '../../api/query-client';
import { LiveNotice, type Notice } from '../../components/live-notice';
import { PagedResult } from '../../components/paged-result';
import { usePagedQuery } from '../../lib/use-paged-query';
import { usePageTitle } from '../../lib/use-page-title';
import { useSession } from '../../session/session-context';
import { UserRow } from './user-row';

function describeChange(user: AdminUser, change: UpdateUserRequest): string {
  if (change.role) return `${user.username} is now a ${user.role}.`;
  return user.disabled
    ? `${user.username} is disabled and can no longer log in.`
    : `${user.username} is enabled again.`;
}

export default function AdminUsersPage() {
  usePageTitle('Users');
  const { user: me } = useSession();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  const { result, setPage } = usePagedQuery(
    (page) => queryKeys.userList({ page, q }),
    (page, pageSize, signal) => listUsers({ page, pageSize, q }, signal),
  );
  const [message, setMessage] = useState<Notice | null>(null);
  const client = useQueryClient();
  const update = useMutation({
    mutationFn: ({ user, change }: { user: AdminUser; change: UpdateUserRequest }) => updateUser(user.id, change),
    onMutate: () => setMessage(null),
    onSuccess: (updated, { change }) => {
      replaceInPages(client, queryKeys.users, updated);
      void client.invalidateQueries({ queryKey: queryKeys.users });
      setMessage({ text: describeChange(updated, change), error: false });
    },
    onError: (caught) => setMessage({ text: describeError(caught).message, error: true }),
  });
  const busyId = update.isPending ? update.variables.user.id : null;

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    setParams(text.trim() ? { q: text.trim() } : {});
  };

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Users</h1>
      <form role="search" className="search-form" onSubmit={onSearch}>
        <label htmlFor="user-search">Search by username or email</label>
        <div className="inline">
          <input
            id="user-search"
            type="search"
            value={text}
            maxLength={CONTRACT_RULES.listUsers.q.maxLength}
            onChange={(event) => setText(event.target.value)}
          />
          <button type="submit" className="button button-primary">
            Search
          </button>
        </div>
      </form>
      <LiveNotice notice={message} />
      <PagedResult
        result={result}
        loadingLabel="Loading users"
        // The search may have changed while the last answer is still on screen: say nothing about it until the new one.
        empty={!result.isPlaceholderData && (q ? 'No user matches this search.' : 'No users yet.')}
        caption="All user accounts"
        columns={
          <>
            <th scope="col">Username</th>
            <th scope="col">Email</th>
            <th scope="col">Joined</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </>
        }
        renderRow={(user) => (
          <UserRow
            key={user.id}
            user={user}
            isSelf={user.id === me?.id}
            busy={busyId === user.id}
            onUpdate={(change) => update.mutate({ user, change })}
          />
        )}
        onPage={setPage}
      />
    </section>
  );
}
