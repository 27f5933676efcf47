import { DeadLetterQueue, ParkedMessage } from "../../lib/redrive/redrive";

/**
 * SQS has no local server here: an in-memory dead-letter queue that hides received messages until they are deleted or
 * released (as SQS's visibility timeout does within one run), and records what was deleted and released.
 */
export class MemoryQueue implements DeadLetterQueue {
  readonly deleted: string[] = [];
  readonly released: string[] = [];
  private readonly hidden = new Set<string>();

  constructor(public messages: ParkedMessage[]) {}

  async receive(max: number): Promise<ParkedMessage[]> {
    const visible = this.messages.filter((m) => !this.hidden.has(m.id)).slice(0, max);
    visible.forEach((m) => this.hidden.add(m.id));
    return visible;
  }

  async delete(message: ParkedMessage): Promise<void> {
    this.deleted.push(message.id);
    this.messages = this.messages.filter((m) => m.id !== message.id);
  }

  async release(message: ParkedMessage): Promise<void> {
    this.released.push(message.id);
    this.hidden.delete(message.id);
  }
}
