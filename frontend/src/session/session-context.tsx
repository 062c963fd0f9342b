import {
  createContext,
  startTransition,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import type { LoginRequest, SecondStepRequest, SecondStepRequired, SignupRequest, User } from '../api/contracts';
import { setSessionHooks } from '../api/session-events';
import { readSessionHint, writeSessionHint } from './session-hint';

// The shell paints before axios loads: the session asks the API through a dynamic import.
const loadAuthApi = () => import('../api/auth-api');

export const SESSION_ENDED_NOTICE = 'Your session ended. Please log in again.';

export interface SessionValue {
  user: User | null;
  ready: boolean;
  /** True after the server ended a session this tab had (expired refresh, revoked, disabled account). */
  ended: boolean;
  /** The user, or the second step an account with two-factor sign-in (or an admin without it) needs. */
  login: (body: LoginRequest) => Promise<User | SecondStepRequired>;
  loginSecondStep: (body: SecondStepRequest) => Promise<User>;
  /** A sign-in another call finished (an admin's two-factor set-up). */
  signedIn: (user: User) => void;
  signup: (body: SignupRequest) => Promise<User>;
  demoLogin: (who: 'buyer' | 'seller') => Promise<User>;
  /** `then` runs in the same transition that forgets the user, so a guarded page never sees both. */
  logout: (then?: () => void) => Promise<void>;
  /** Ends every session of the account (other devices within a second), then forgets the user here. */
  logoutEverywhere: (then?: () => void) => Promise<void>;
  /** Every other session of the account ends; this one goes on. */
  changePassword: (currentPassword: string, newPassword: string) => Promise<User>;
  /** Deletes the account for good; `then` runs as the user is forgotten, like logout's. */
  deleteAccount: (password: string, then?: () => void) => Promise<void>;
  /** Picks up what changed on the account (a verified address) with a new access token; null when signed out. */
  renew: () => Promise<User | null>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUserState] = useState<User | null>(null);
  const [ready, setReady] = useState(false);
  const [ended, setEnded] = useState(false);
  const userRef = useRef<User | null>(null);
  const navigate = useNavigate();
  const location = useLocation();
  const here = useRef('/');

  useEffect(() => {
    if (location.pathname !== '/login') here.current = `${location.pathname}${location.search}`;
  }, [location]);

  const setUser = useCallback((next: User | null) => {
    userRef.current = next;
    writeSessionHint(next?.id ?? null);
    setUserState(next);
    if (next) setEnded(false);
  }, []);

  useEffect(() => {
    setSessionHooks({
      onRefreshed: setUser,
      onSessionEnded: () => {
        if (userRef.current === null) return setUser(null);
        const from = here.current;
        // One transition, so a guarded page never renders "signed out" before the login page shows.
        startTransition(() => {
          setEnded(true);
          setUser(null);
          void navigate('/login', { replace: true, state: { notice: SESSION_ENDED_NOTICE, from } });
        });
      },
    });
  }, [navigate, setUser]);

  useEffect(() => {
    if (!readSessionHint()) {
      setReady(true);
      return;
    }
    let active = true;
    loadAuthApi()
      .then((authApi) => authApi.fetchMe())
      // A failure that is not about the session (network, 5xx) leaves the hint, so the next load
      // tries again; a session that really ended is forgotten by onSessionEnded above.
      .then(
        (me) => active && setUser(me),
        () => undefined,
      )
      .finally(() => active && setReady(true));
    return () => {
      active = false;
    };
  }, [setUser]);

  const value = useMemo<SessionValue>(
    () => ({
      user,
      ready,
      ended,
      login: async (body) => {
        const answer = await (await loadAuthApi()).login(body);
        if (!('secondStep' in answer)) setUser(answer);
        return answer;
      },
      loginSecondStep: async (body) => {
        const me = await (await import('../api/two-factor-api')).loginSecondStep(body);
        setUser(me);
        return me;
      },
      signedIn: setUser,
      signup: async (body) => {
        const me = await (await loadAuthApi()).signup(body);
        setUser(me);
        return me;
      },
      demoLogin: async (who) => {
        const me = await (await loadAuthApi()).demoLogin(who);
        setUser(me);
        return me;
      },
      logout: async (then) => {
        try {
          await (await loadAuthApi()).logout();
        } finally {
          startTransition(() => {
            then?.();
            setUser(null);
          });
        }
      },
      logoutEverywhere: async (then) => {
        await (await loadAuthApi()).logoutEverywhere();
        startTransition(() => {
          then?.();
          setUser(null);
        });
      },
      changePassword: async (currentPassword, newPassword) => {
        const me = await (await loadAuthApi()).changePassword({ currentPassword, newPassword });
        setUser(me);
        return me;
      },
      renew: async () => {
        if (!userRef.current) return null;
        const me = await (await loadAuthApi()).renewSession();
        setUser(me);
        return me;
      },
      deleteAccount: async (password, then) => {
        await (await loadAuthApi()).deleteAccount(password);
        startTransition(() => {
          then?.();
          setUser(null);
        });
      },
    }),
    [user, ready, ended, setUser],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession needs a SessionProvider');
  return value;
}
