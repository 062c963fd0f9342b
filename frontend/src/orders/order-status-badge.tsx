import type { OrderStatus } from '../api/contracts';
import { STATUS_LABELS, statusClass } from './order-status-text';

export function OrderStatusBadge({ status }: { status: OrderStatus }) {
  return <span className={statusClass(status)}>{STATUS_LABELS[status]}</span>;
}
