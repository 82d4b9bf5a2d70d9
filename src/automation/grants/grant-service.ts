export type {
  GrantEndReason,
  GrantFiring,
  GrantHooks,
  GrantService,
  NewGrantInput,
} from "./grant-service-types.js";
