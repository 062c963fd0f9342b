import { authApi } from '@market/contracts';
import { joiForOperation, type JoiKind } from '@market/kit';
import { passwordProblem } from '../domain/passwords';

/**
 * The joi validators of the auth API, generated from its zod contract (authApi) with the
 * behaviours the contract names and only this service can supply.
 */
const kinds: Record<string, JoiKind> = {
  /** bcrypt reads at most 72 bytes: a new password is measured in UTF-8 bytes, never cut. */
  'new-password': (base) =>
    base().custom((value: string, helpers) => {
      const problem = passwordProblem(value);
      return problem ? helpers.message({ custom: problem }) : value;
    }),
};

const validatorsOf = <K extends keyof typeof authApi>(name: K) => joiForOperation(authApi[name], { kinds });

export const validators = {
  signup: validatorsOf('signup'),
  login: validatorsOf('login'),
  demoLogin: validatorsOf('demoLogin'),
  loginSecondStep: validatorsOf('loginSecondStep'),
  twoFactorSetup: validatorsOf('twoFactorSetup'),
  twoFactorEnable: validatorsOf('twoFactorEnable'),
  twoFactorDisable: validatorsOf('twoFactorDisable'),
  listUsers: validatorsOf('listUsers'),
  updateUser: validatorsOf('updateUser'),
  changePassword: validatorsOf('changePassword'),
  deleteAccount: validatorsOf('deleteAccount'),
  requestPasswordReset: validatorsOf('requestPasswordReset'),
  completePasswordReset: validatorsOf('completePasswordReset'),
  verifyEmail: validatorsOf('verifyEmail'),
  updateEmailPreferences: validatorsOf('updateEmailPreferences'),
  unsubscribe: validatorsOf('unsubscribe'),
};
