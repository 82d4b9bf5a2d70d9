export {
  type EventBus,
  type PriceTick,
  parseUserEvent,
  USER_EVENT_TYPES,
  type UserEvent,
  type UserEventListener,
} from "./event-types.js";
export { createMemoryEventBus } from "./memory-event-bus.js";
export { createOrderChangePublisher, createWithdrawalChangePublisher } from "./order-events.js";
export { createRedisEventBus, type RedisEventBusOptions } from "./redis-event-bus.js";
