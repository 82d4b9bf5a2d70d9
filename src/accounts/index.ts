export {
  type AccountService,
  type AccountServiceOptions,
  assertValidPassword,
  assertValidUsername,
  createAccountService,
  type Principal,
} from "./account-service.js";
export {
  createPasswordHasher,
  type PasswordHasher,
  type PasswordHasherOptions,
} from "./password-hasher.js";
export { createSecretToken, hashSecretToken } from "./secret-token.js";
