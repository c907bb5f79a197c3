// The loaded, cross-checked content the rest of the core reads: documents plus computed backlinks.
import type {
  Claim,
  OrganisationFrontMatter,
  PersonFrontMatter,
  Source,
  StoryFrontMatter,
  UpdateFrontMatter,
} from "./schema.js";

/** Where a document came from, as shown in error messages (e.g. content/people/adam-boehler.md). */
interface FromFile {
  file: string;
}

export interface Story extends StoryFrontMatter, FromFile {
  kind: "story";
  /** The explainer, Markdown. */
  body: string;
  /** Served updates of this story, oldest first. */
  updates: Update[];
}

export interface Update extends UpdateFrontMatter, FromFile {
  kind: "update";
  body: string;
}

export interface Person extends PersonFrontMatter, FromFile {
  kind: "person";
  body: string;
}

export interface Organisation extends OrganisationFrontMatter, FromFile {
  kind: "organisation";
  body: string;
}

export interface SourceDoc extends Source, FromFile {
  kind: "source";
}

export type Entity = Person | Organisation;
export type ClaimOwner = Story | Update;

export interface ClaimRecord {
  claim: Claim;
  owner: ClaimOwner;
}

/** Everything that points at a person or organisation, computed at load time. */
export interface Backlinks {
  stories: Story[];
  updates: Update[];
  /** Claims attributed to or about the entity. */
  claims: ClaimRecord[];
}

export interface ContentIndex {
  /** Stories that may be served (pubStatus usable), in command-name order. */
  stories: Story[];
  storyByCommand: ReadonlyMap<string, Story>;
  entities: Entity[];
  entityById: ReadonlyMap<string, Entity>;
  sourceById: ReadonlyMap<string, SourceDoc>;
  claimById: ReadonlyMap<string, ClaimRecord>;
  backlinks(entityId: string): Backlinks;
  /** The newest versionCreated across served documents. */
  updatedAt: string;
  /** A short hash of every file's text: changes whenever the content does. */
  fingerprint: string;
  fileCount: number;
  /** The stored release this content came from; undefined when it was read from the content folder. */
  release?: number;
}
