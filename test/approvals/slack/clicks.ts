import payload from '../../fixtures/slack/slack-block_actions-payload.json';

/** The bolt-python block_actions payload with only the button swapped for a peerkeeper one, form-encoded like Slack. */
export function peerkeeperClick(
  actionId: string,
  value: string,
  mutate: (p: Record<string, unknown>) => void = () => undefined,
): string {
  const copy = structuredClone(payload) as unknown as Record<string, unknown> & {
    actions: { action_id: string; value: string }[];
  };
  copy.actions[0]!.action_id = actionId;
  copy.actions[0]!.value = value;
  mutate(copy);
  return `payload=${encodeURIComponent(JSON.stringify(copy))}`;
}
