// Command names as a platform shows them (Slack's /whois for /who), and back: the core words answers with them.

const built = new WeakMap<object, CommandNames>();

export class CommandNames {
  /** The core names, for platforms that rename nothing. */
  static readonly core = new CommandNames({});

  private readonly toCore: ReadonlyMap<string, string>;

  constructor(private readonly shown: Readonly<Record<string, string>>) {
    this.toCore = new Map(Object.entries(shown).map(([core, platform]) => [platform, core]));
  }

  /** One instance per map: adapters hand the same constant with every asker. */
  static of(names: Readonly<Record<string, string>> | undefined): CommandNames {
    if (names === undefined) return CommandNames.core;
    let known = built.get(names);
    if (known === undefined) {
      known = Object.keys(names).length === 0 ? CommandNames.core : new CommandNames(names);
      built.set(names, known);
    }
    return known;
  }

  /** "whois" for "who" on Slack; "who" elsewhere: the word a reader types, e.g. after /help. */
  name(command: string): string {
    return this.shown[command] ?? command;
  }

  /** "/whois" for "who" on Slack; "/who" elsewhere. */
  slash(command: string): string {
    return `/${this.name(command)}`;
  }

  /** The core command a typed name means: "whois" -> "who" on Slack; any other name is itself. */
  coreName(typed: string): string {
    return this.toCore.get(typed) ?? typed;
  }
}
