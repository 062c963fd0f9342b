import { api } from './http-client';
import type { Address, AddressFields, AddressList } from './contracts';

export async function listAddresses(signal?: AbortSignal): Promise<Address[]> {
  return (await api.get<AddressList>('/addresses', { signal })).data.data;
}

export async function createAddress(body: AddressFields): Promise<Address> {
  return (await api.post<Address>('/addresses', body)).data;
}

export async function updateAddress(id: string, body: AddressFields): Promise<Address> {
  return (await api.put<Address>(`/addresses/${encodeURIComponent(id)}`, body)).data;
}

export async function deleteAddress(id: string): Promise<void> {
  await api.delete(`/addresses/${encodeURIComponent(id)}`);
}
