// The project's latest events since this page loaded (newest first, at most 50), for the
// overview's recent activity. app.js fills it from the event stream.
export const recentEvents = [];

export function remember(type, payload) {
  recentEvents.unshift({ type, payload, at: new Date() });
  recentEvents.length = Math.min(recentEvents.length, 50);
}
