/** The loads at which the dashboard must not slow the replies: clients and heartbeats a second. */
export const latencyGroups = [
  {clients: 50, ratePerSecond: 100, viewers: false},
  // Also with ten viewers attached over the control socket (`attach`).
  {clients: 1000, ratePerSecond: 2000, viewers: true},
] as const;
