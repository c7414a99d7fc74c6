/** The loads at which the dashboard must not slow the replies: clients and heartbeats a second. */
export const latencyGroups = [
  {clients: 50, ratePerSecond: 100},
  {clients: 1000, ratePerSecond: 2000},
] as const;
