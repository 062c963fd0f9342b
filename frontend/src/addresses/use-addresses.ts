import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { deleteAddress, listAddresses } from '../api/addresses-api';
import { queryKeys } from '../api/query-client';

/** The signed-in user's saved addresses, and deleting one. */
export function useAddresses() {
  const client = useQueryClient();
  const query = useQuery({ queryKey: queryKeys.addresses, queryFn: ({ signal }) => listAddresses(signal) });
  const remove = useMutation({
    mutationFn: deleteAddress,
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.addresses }),
  });
  return { query, remove };
}
