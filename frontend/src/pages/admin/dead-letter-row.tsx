import { Link } from 'react-router-dom';
import type { DeadLetter } from '../../api/contracts';
import { ConfirmButton } from '../../components/confirm-button';
import { formatDateTime, shortId } from '../../lib/format';

interface Props {
  letter: DeadLetter;
  busy: boolean;
  onReplay: () => void;
  onDrop: () => void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function DeadLetterRow({ letter, busy, onReplay, onDrop }: Props) {
  return (
    <tr data-testid="dead-letter-row">
      <th scope="row">
        <span className="small">{letter.id}</span>
        <div className="muted small">{letter.deadAt ? formatDateTime(letter.deadAt) : '—'}</div>
      </th>
      <td data-label="Event">{letter.type ?? '—'}</td>
      <td data-label="Order">
        {letter.orderId && UUID.test(letter.orderId) ? (
          <Link to={`/orders/${letter.orderId}`}>Order {shortId(letter.orderId)}</Link>
        ) : (
          (letter.orderId ?? '—')
        )}
      </td>
      <td data-label="Group">{letter.group}</td>
      <td data-label="Deliveries" className="num">
        {letter.deliveries}
      </td>
      <td data-label="Reason" className="small">
        {letter.reason}
        <details>
          <summary>Fields</summary>
          <dl className="small">
            {Object.entries(letter.fields).map(([key, value]) => (
              <div key={key}>
                <dt>{key}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </details>
      </td>
      <td>
        <div className="inline">
          <ConfirmButton
            label={`Replay ${letter.id}`}
            confirmLabel={`Confirm replay of ${letter.id}`}
            onConfirm={onReplay}
            disabled={busy}
          />
          <ConfirmButton
            label={`Drop ${letter.id}`}
            confirmLabel={`Confirm drop of ${letter.id}`}
            onConfirm={onDrop}
            disabled={busy}
          />
        </div>
      </td>
    </tr>
  );
}
