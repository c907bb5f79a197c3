// Writes a large, seeded, valid content folder (stories, updates, people, organisations, sources) for the core benchmark.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { normalizeKey } from "../src/core/text/normalize.js";

export interface CorpusSizes {
  stories: number;
  updatesPerStory: number;
  people: number;
}

export const FULL_CORPUS: CorpusSizes = { stories: 1000, updatesPerStory: 10, people: 5000 };
export const QUICK_CORPUS: CorpusSizes = { stories: 50, updatesPerStory: 5, people: 200 };

/** What writeCorpus produced, for the benchmark's notes and for picking queries that exist (or do not). */
export interface CorpusSummary {
  files: number;
  stories: number;
  updates: number;
  people: number;
  organisations: number;
  sources: number;
  claims: number;
  /** Display names of every person, in generation order. */
  personNames: string[];
  /** Surname keys shared by two or more people, e.g. "garcia". */
  sharedSurnames: string[];
  /** Story command names, in generation order. */
  commands: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Deterministic randomness: the same seed always writes the same bytes, so two runs measure the same corpus.

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: tiny, fast and good enough to shuffle names; not for anything secret. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return at(items, this.int(items.length));
  }

  /** Favours the front of the list (index ~ n·u^skew), so a few names turn up everywhere, as in real news. */
  skewed<T>(items: readonly T[], skew = 2.2): T {
    return at(items, Math.min(items.length - 1, Math.floor(items.length * this.next() ** skew)));
  }

  /** `count` distinct items (fewer if the list is shorter). */
  distinct<T>(items: readonly T[], count: number, choose: (items: readonly T[]) => T = (xs) => this.pick(xs)): T[] {
    const chosen = new Set<T>();
    const wanted = Math.min(count, items.length);
    for (let tries = 0; chosen.size < wanted && tries < wanted * 50; tries += 1) chosen.add(choose(items));
    return [...chosen];
  }
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`corpus generator: no item at ${index} of ${items.length}`);
  return item;
}

// ---------------------------------------------------------------------------------------------------------------
// Word pools. Names mix languages, accents, apostrophes and particles so normalisation and typo lookup are exercised.

const FIRST_NAMES = [
  "Adam",
  "Ada",
  "Adebayo",
  "Agnieszka",
  "Ahmed",
  "Aiko",
  "Aisha",
  "Alejandro",
  "Aleksander",
  "Alice",
  "Amara",
  "Amir",
  "Ana",
  "Anders",
  "Andrea",
  "Andrei",
  "Ángel",
  "Anika",
  "Anna",
  "Antoine",
  "Antonio",
  "Arjun",
  "Astrid",
  "Ayşe",
  "Beatriz",
  "Ben",
  "Benjamin",
  "Bianca",
  "Björn",
  "Bogdan",
  "Camille",
  "Carlos",
  "Carmen",
  "Catalina",
  "Chen",
  "Chiara",
  "Chidi",
  "Chloé",
  "Christopher",
  "Claire",
  "Daniel",
  "Daniela",
  "Dariusz",
  "David",
  "Deepa",
  "Diego",
  "Dimitri",
  "Elena",
  "Elif",
  "Elijah",
  "Elizabeth",
  "Emeka",
  "Emil",
  "Emily",
  "Emma",
  "Enrique",
  "Erik",
  "Esther",
  "Fatima",
  "Felipe",
  "Femi",
  "Fernando",
  "Fiona",
  "François",
  "Freya",
  "Gabriel",
  "Gabriela",
  "Giorgos",
  "Giulia",
  "Grace",
  "Gustavo",
  "Hana",
  "Hannah",
  "Hassan",
  "Heike",
  "Helena",
  "Henrik",
  "Hiroshi",
  "Hugo",
  "Ibrahim",
  "Ifeoma",
  "Ines",
  "Ingrid",
  "Isabel",
  "Isaac",
  "Ivan",
  "Jakob",
  "James",
  "Jana",
  "Javier",
  "Jean",
  "Jin",
  "Joanna",
  "João",
  "Jonathan",
  "Jordan",
  "Jorge",
  "José",
  "Joseph",
  "Julia",
  "Julien",
  "Kamala",
  "Karim",
  "Katarzyna",
  "Kenji",
  "Khalid",
  "Kofi",
  "Laila",
  "Lars",
  "Laura",
  "Leila",
  "Leon",
  "Liam",
  "Lina",
  "Lucas",
  "Lucía",
  "Luis",
  "Łukasz",
  "Maja",
  "Malik",
  "Marco",
  "Margaret",
  "María",
  "Mariam",
  "Marie",
  "Mark",
  "Marta",
  "Mateo",
  "Matteo",
  "Mehmet",
  "Mei",
  "Michael",
  "Miguel",
  "Mikhail",
  "Mohammed",
  "Nadia",
  "Naledi",
  "Natalia",
  "Nikolai",
  "Nils",
  "Noah",
  "Nora",
  "Obinna",
  "Olga",
  "Oliver",
  "Omar",
  "Oscar",
  "Pablo",
  "Paolo",
  "Patrick",
  "Paul",
  "Pedro",
  "Peter",
  "Pierre",
  "Priya",
  "Rafael",
  "Rahul",
  "Rania",
  "Rebecca",
  "Renée",
  "Ricardo",
  "Robert",
  "Rosa",
  "Ruth",
  "Sadia",
  "Samir",
  "Samuel",
  "Sara",
  "Sebastian",
  "Sergei",
  "Shira",
  "Simon",
  "Sofia",
  "Søren",
  "Stefan",
  "Sunita",
  "Tamar",
  "Tariq",
  "Thandiwe",
  "Theo",
  "Thomas",
  "Tobias",
  "Tomasz",
  "Valentina",
  "Vikram",
  "Wei",
  "Wojciech",
  "Yara",
  "Yasmin",
  "Yusuf",
  "Zainab",
  "Zoë",
];

const SURNAMES = [
  "Abara",
  "Abdullah",
  "Adeyemi",
  "Agarwal",
  "Ahmadi",
  "Al-Masri",
  "Al-Rashid",
  "Alves",
  "Andersen",
  "Andersson",
  "Araújo",
  "Asante",
  "Bakker",
  "Banerjee",
  "Barbieri",
  "Barros",
  "Becker",
  "Bendjedid",
  "Bergström",
  "Bianchi",
  "Boateng",
  "Boehm",
  "Bogdanov",
  "Brennan",
  "Brown",
  "Bui",
  "Carvalho",
  "Castillo",
  "Castro",
  "Chatterjee",
  "Chen",
  "Cohen",
  "Colombo",
  "Costa",
  "Cruz",
  "D'Angelo",
  "Dahl",
  "Dasgupta",
  "de Souza",
  "Demir",
  "Diallo",
  "Díaz",
  "Dimitrov",
  "Dubois",
  "Dvořák",
  "Eriksen",
  "Esposito",
  "Fischer",
  "Fernández",
  "Ferrari",
  "Fitzgerald",
  "Fofana",
  "Fontaine",
  "Forde",
  "Friedman",
  "Fujita",
  "Gallagher",
  "García",
  "Gashi",
  "Gómez",
  "González",
  "Greco",
  "Gruber",
  "Gupta",
  "Haddad",
  "Halvorsen",
  "Hansen",
  "Harris",
  "Hartmann",
  "Hashemi",
  "Hayashi",
  "Hernández",
  "Hoffmann",
  "Horvat",
  "Hosseini",
  "Huang",
  "Hughes",
  "Ibrahim",
  "Ito",
  "Ivanova",
  "Jablonski",
  "Jensen",
  "Jiménez",
  "Johansson",
  "Johnson",
  "Kamara",
  "Kang",
  "Kapoor",
  "Karimi",
  "Kaya",
  "Keller",
  "Kelly",
  "Kenyatta",
  "Khan",
  "Khoury",
  "Kim",
  "Klein",
  "Kobayashi",
  "Kovačević",
  "Kowalski",
  "Krause",
  "Kumar",
  "Laine",
  "Lambert",
  "Larsen",
  "Laurent",
  "Lee",
  "Lehmann",
  "Leroy",
  "Li",
  "Lindqvist",
  "Liu",
  "López",
  "Lund",
  "Mahlaba",
  "Majewski",
  "Mansour",
  "Marchetti",
  "Marino",
  "Martín",
  "Martínez",
  "Matsumoto",
  "Mazur",
  "Mbeki",
  "McCarthy",
  "Mehta",
  "Mendes",
  "Meyer",
  "Mishra",
  "Mohamud",
  "Molina",
  "Moreau",
  "Moreno",
  "Morris",
  "Mensah",
  "Müller",
  "Murphy",
  "Mwangi",
  "Nakamura",
  "Nascimento",
  "Navarro",
  "Ndlovu",
  "Nguyen",
  "Nielsen",
  "Njoroge",
  "Novak",
  "Nowak",
  "Núñez",
  "O'Brien",
  "O'Connor",
  "Obi",
  "Odhiambo",
  "Okafor",
  "Okonkwo",
  "Oliveira",
  "Olsen",
  "Omondi",
  "Ortega",
  "Osei",
  "Özdemir",
  "Papadopoulos",
  "Park",
  "Patel",
  "Pedersen",
  "Pereira",
  "Perez",
  "Petrov",
  "Petrović",
  "Pham",
  "Popescu",
  "Popov",
  "Quispe",
  "Rahman",
  "Ramírez",
  "Rao",
  "Reddy",
  "Reyes",
  "Ribeiro",
  "Richter",
  "Rivera",
  "Rizzo",
  "Rodrigues",
  "Rodríguez",
  "Romano",
  "Rossi",
  "Roux",
  "Ruiz",
  "Russo",
  "Saarinen",
  "Said",
  "Saito",
  "Salazar",
  "Sánchez",
  "Santos",
  "Sato",
  "Schmidt",
  "Schneider",
  "Schulz",
  "Shapiro",
  "Sharma",
  "Shevchenko",
  "Silva",
  "Singh",
  "Smith",
  "Sokolov",
  "Sørensen",
  "Suárez",
  "Suzuki",
  "Szabó",
  "Takahashi",
  "Tanaka",
  "Taylor",
  "Tembo",
  "Thompson",
  "Torres",
  "Tran",
  "Traoré",
  "Tshabalala",
  "Van den Berg",
  "van Dijk",
  "Vargas",
  "Vasquez",
  "Virtanen",
  "Vogel",
  "Volkov",
  "Wagner",
  "Walsh",
  "Wang",
  "Watanabe",
  "Weber",
  "Williams",
  "Wilson",
  "Wiśniewski",
  "Wong",
  "Wu",
  "Xu",
  "Yadav",
  "Yamamoto",
  "Yang",
  "Yilmaz",
  "Yoshida",
  "Young",
  "Zhang",
  "Zhao",
  "Zhou",
  "Zimmermann",
  "Zulu",
  "Abebe",
  "Achterberg",
  "Agyeman",
  "Alexandrou",
  "Amato",
  "Arslan",
  "Auclair",
  "Azoulay",
  "Baptiste",
  "Bauer",
  "Belkacem",
  "Benedetti",
  "Berger",
  "Blanco",
  "Bondarenko",
  "Borg",
  "Brandt",
  "Calderón",
  "Cardoso",
  "Chaudhry",
  "Ciobanu",
  "Conti",
  "Dalton",
  "Delgado",
  "Desai",
  "Dogan",
  "Dunne",
  "Eklund",
  "El-Amin",
  "Engel",
  "Farouk",
  "Ferreira",
  "Frank",
  "Gallo",
  "Gil",
  "Grünewald",
  "Guerrero",
  "Hakimi",
  "Halloran",
  "Iyer",
  "Jovanović",
  "Kaplan",
  "Katz",
  "Kuznetsov",
  "Lange",
  "Lombardi",
  "Lozano",
  "Magnusson",
  "Medina",
  "Mora",
  "Nasser",
  "Nyberg",
  "Ogunleye",
  "Pinto",
  "Quinn",
  "Rasmussen",
  "Rojas",
  "Schäfer",
  "Seo",
  "Soto",
  "Strand",
  "Toledo",
  "Ueda",
  "Vidal",
  "Zhu",
];

const MIDDLE_NAMES = [
  "Maria",
  "José",
  "Anne",
  "Paul",
  "Louise",
  "James",
  "Marie",
  "Ali",
  "Kwame",
  "Elena",
  "Pieter",
  "Rose",
];

const PLACES = [
  "Lisbon",
  "Porto",
  "Madrid",
  "Seville",
  "Lyon",
  "Marseille",
  "Hamburg",
  "Munich",
  "Rotterdam",
  "Antwerp",
  "Gdansk",
  "Krakow",
  "Prague",
  "Vienna",
  "Budapest",
  "Bucharest",
  "Sofia",
  "Athens",
  "Naples",
  "Turin",
  "Zurich",
  "Oslo",
  "Bergen",
  "Malmo",
  "Helsinki",
  "Tallinn",
  "Riga",
  "Vilnius",
  "Dublin",
  "Cork",
  "Glasgow",
  "Leeds",
  "Cardiff",
  "Belfast",
  "Reykjavik",
  "Istanbul",
  "Izmir",
  "Beirut",
  "Amman",
  "Cairo",
  "Tunis",
  "Casablanca",
  "Dakar",
  "Accra",
  "Lagos",
  "Abuja",
  "Nairobi",
  "Mombasa",
  "Kampala",
  "Kigali",
  "Addis Ababa",
  "Johannesburg",
  "Durban",
  "Cape Town",
  "Maputo",
  "Lusaka",
  "Harare",
  "Karachi",
  "Lahore",
  "Mumbai",
  "Chennai",
  "Kolkata",
  "Dhaka",
  "Colombo",
  "Kathmandu",
  "Bangkok",
  "Hanoi",
  "Manila",
  "Jakarta",
  "Surabaya",
  "Seoul",
  "Busan",
  "Osaka",
  "Sapporo",
  "Taipei",
  "Perth",
  "Brisbane",
  "Auckland",
  "Santiago",
  "Lima",
  "Bogota",
  "Quito",
  "Caracas",
  "Montevideo",
  "Cordoba",
  "Recife",
  "Manaus",
  "Monterrey",
  "Oaxaca",
  "Havana",
  "Kingston",
  "Halifax",
  "Winnipeg",
  "Anchorage",
  "Detroit",
  "Memphis",
];

/** Story topics: `key` makes the slash command short, `phrase` reads in headlines. */
const TOPICS: readonly { key: string; phrase: string; actor: string }[] = [
  { key: "port-strike", phrase: "port strike", actor: "dock workers" },
  { key: "bridge", phrase: "bridge collapse inquiry", actor: "engineers" },
  { key: "recount", phrase: "election recount", actor: "the electoral commission" },
  { key: "floods", phrase: "flood recovery", actor: "relief agencies" },
  { key: "wildfire", phrase: "wildfire response", actor: "firefighters" },
  { key: "metro", phrase: "metro expansion", actor: "the transit authority" },
  { key: "water", phrase: "water contamination", actor: "health inspectors" },
  { key: "budget", phrase: "city budget dispute", actor: "councillors" },
  { key: "stadium", phrase: "stadium deal", actor: "club owners" },
  { key: "hospital", phrase: "hospital closures", actor: "nurses' unions" },
  { key: "teachers", phrase: "teachers' pay talks", actor: "teachers" },
  { key: "housing", phrase: "housing shortage", actor: "tenant groups" },
  { key: "airport", phrase: "airport runway plan", actor: "residents" },
  { key: "mine", phrase: "mine accident", actor: "mine rescuers" },
  { key: "refinery", phrase: "refinery fire", actor: "plant operators" },
  { key: "trial", phrase: "corruption trial", actor: "prosecutors" },
  { key: "protests", phrase: "fuel price protests", actor: "protesters" },
  { key: "drought", phrase: "drought emergency", actor: "farmers" },
  { key: "quake", phrase: "earthquake aftermath", actor: "rescue teams" },
  { key: "outbreak", phrase: "measles outbreak", actor: "doctors" },
  { key: "ferry", phrase: "ferry sinking", actor: "the coast guard" },
  { key: "cyberattack", phrase: "cyberattack on the council", actor: "IT staff" },
  { key: "rail", phrase: "rail privatisation", actor: "rail unions" },
  { key: "heatwave", phrase: "heatwave deaths", actor: "health officials" },
  { key: "landslide", phrase: "landslide evacuations", actor: "villagers" },
  { key: "merger", phrase: "bank merger", actor: "regulators" },
  { key: "ceasefire", phrase: "border ceasefire talks", actor: "mediators" },
  { key: "hostages", phrase: "hostage negotiations", actor: "negotiators" },
  { key: "summit", phrase: "regional summit", actor: "diplomats" },
  { key: "pipeline", phrase: "pipeline leak", actor: "environmental groups" },
  { key: "curfew", phrase: "night curfew", actor: "police" },
  { key: "blackout", phrase: "power blackout", actor: "grid operators" },
  { key: "smog", phrase: "smog crisis", actor: "clean-air campaigners" },
  { key: "doping", phrase: "doping scandal", actor: "the athletics federation" },
  { key: "museum", phrase: "museum heist", actor: "detectives" },
  { key: "spyware", phrase: "spyware affair", actor: "journalists" },
  { key: "referendum", phrase: "independence referendum", actor: "campaigners" },
  { key: "tariffs", phrase: "steel tariffs", actor: "exporters" },
  { key: "vaccine", phrase: "vaccine rollout", actor: "pharmacists" },
  { key: "layoffs", phrase: "factory layoffs", actor: "workers" },
];

const ORG_KINDS: readonly { name: string; role: string }[] = [
  { name: "City Council", role: "city council" },
  { name: "Port Authority", role: "port authority" },
  { name: "Police", role: "police" },
  { name: "Fire Service", role: "fire service" },
  { name: "Health Board", role: "health board" },
  { name: "Transit Authority", role: "transit authority" },
  { name: "Chamber of Commerce", role: "business lobby" },
  { name: "Teachers' Union", role: "teachers union" },
  { name: "Dock Workers' Union", role: "dockers union" },
  { name: "University", role: "university" },
  { name: "Electoral Commission", role: "election authority" },
  { name: "Water Company", role: "water utility" },
  { name: "Energy Company", role: "power company" },
  { name: "Prosecutor's Office", role: "prosecutors" },
  { name: "Chamber of Deputies", role: "regional parliament" },
  { name: "Red Cross", role: "aid agency" },
  { name: "Football Club", role: "football club" },
  { name: "Airport", role: "airport operator" },
];

const PERSON_ROLES: readonly { title: string; local: boolean }[] = [
  { title: "mayor", local: true },
  { title: "deputy mayor", local: true },
  { title: "police chief", local: true },
  { title: "fire chief", local: true },
  { title: "health commissioner", local: true },
  { title: "port director", local: true },
  { title: "union leader", local: true },
  { title: "council spokesperson", local: true },
  { title: "chief prosecutor", local: true },
  { title: "opposition leader", local: true },
  { title: "transport minister", local: false },
  { title: "finance minister", local: false },
  { title: "health minister", local: false },
  { title: "interior minister", local: false },
  { title: "central bank governor", local: false },
  { title: "special envoy", local: false },
  { title: "chief executive", local: false },
  { title: "investigative reporter", local: false },
  { title: "climate scientist", local: false },
  { title: "human rights lawyer", local: false },
];

const PUBLISHERS = [
  "Reuters",
  "Associated Press",
  "Agence France-Presse",
  "BBC News",
  "The Guardian",
  "Le Monde",
  "Der Spiegel",
  "El País",
  "Corriere della Sera",
  "NRC",
  "Gazeta Wyborcza",
  "Público",
  "Helsingin Sanomat",
  "The Irish Times",
  "Al Jazeera",
  "Daily Nation",
  "Mail & Guardian",
  "Premium Times",
  "The Hindu",
  "Dawn",
  "Kyodo News",
  "Yonhap",
  "The Straits Times",
  "ABC News (Australia)",
  "Folha de S.Paulo",
  "El Tiempo",
  "La Nación",
  "Globe and Mail",
  "Detroit Free Press",
  "Anchorage Daily News",
  "Bloomberg",
  "Financial Times",
  "Politico Europe",
  "Deutsche Welle",
  "Radio France Internationale",
  "Balkan Insight",
  "Kyiv Independent",
  "The East African",
  "GroundUp",
  "Rappler",
];

const VERBS_SAID = ["said", "told reporters", "wrote in a statement", "said at a news conference", "told local radio"];
const DEVELOPMENTS = [
  "talks resume",
  "deadline extended",
  "inquiry opens",
  "first arrests",
  "court ruling",
  "funding approved",
  "new figures published",
  "officials resign",
  "protest march",
  "report leaked",
  "deal reached",
  "talks collapse",
  "emergency declared",
  "compensation offered",
  "audit ordered",
  "vote postponed",
  "evidence disputed",
  "appeal lodged",
  "site reopened",
  "warnings ignored",
];
const OPEN_QUESTIONS = [
  "Who will pay for the repairs, and when?",
  "Will the inquiry publish its findings in full?",
  "How many people are still affected? Official figures have not been updated.",
  "Did officials ignore earlier warnings? Documents seen by reporters suggest so, but this is disputed.",
  "Will the agreement hold once the deadline passes?",
  "What role did the regulator play before the crisis?",
];

// ---------------------------------------------------------------------------------------------------------------
// Small helpers for ids, dates and YAML.

const TRANSLITERATE: Record<string, string> = { ł: "l", ø: "o", ß: "ss", æ: "ae", đ: "d", ı: "i" };

/** A content id from a display name: ASCII, lower case, single dashes (ID_PATTERN). */
function slug(value: string): string {
  return value
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[łøßæđı]/g, (c) => TRANSLITERATE[c] ?? "")
    .replace(/['’.]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

const DAY_MS = 86_400_000;
const EPOCH = Date.UTC(2023, 0, 2, 9, 0, 0);

/** ISO 8601 in UTC without milliseconds, as editors write it. */
function isoAt(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function dateOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A YAML scalar: JSON strings are valid double-quoted YAML, so escaping is never a question. */
function q(value: string): string {
  return JSON.stringify(value);
}

function flowList(ids: readonly string[]): string {
  return `[${ids.join(", ")}]`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Hands out ids unique across every type (the loader requires that), suffixing a number on a clash. */
class IdBook {
  private readonly used = new Set<string>();

  claim(wanted: string): string {
    let id = wanted;
    for (let n = 2; this.used.has(id); n += 1) id = `${wanted}-${n}`;
    this.used.add(id);
    return id;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The generated documents, before they are written out.

interface SourceGen {
  id: string;
  publisher: string;
  title: string;
  url: string;
  published: string;
  cites: string[];
  description: string;
}

interface OrgGen {
  id: string;
  name: string;
  aliases: string[];
  place: string;
  kind: string;
  parent?: string;
  sources: string[];
  createdMs: number;
}

interface PersonGen {
  id: string;
  name: string;
  aliases: string[];
  roleAliases: string[];
  jobTitle?: { text: string; sources: string[] };
  affiliation?: string;
  description: string;
  body: string;
  sources: string[];
  createdMs: number;
  version: number;
}

type ClaimKind = "reported-fact" | "statement" | "quote" | "analysis";

interface ClaimGen {
  id: string;
  kind: ClaimKind;
  text: string;
  quote?: string;
  attributedTo?: string;
  about: string[];
  sources: string[];
}

interface CorrectionGen {
  id: string;
  published: string;
  claims: string[];
  wrong: string;
  right: string;
  sources: string[];
}

/** Someone or something a story involves, with the words a claim can use for them. */
interface CastMember {
  id: string;
  name: string;
}

function claimYaml(claim: ClaimGen): string {
  const lines = [`  - id: ${claim.id}`, `    kind: ${claim.kind}`, `    text: ${q(claim.text)}`];
  if (claim.quote !== undefined) lines.push(`    quote: ${q(claim.quote)}`);
  if (claim.attributedTo !== undefined) lines.push(`    attributedTo: ${claim.attributedTo}`);
  if (claim.about.length > 0) lines.push(`    about: ${flowList(claim.about)}`);
  lines.push(`    sources: ${flowList(claim.sources)}`);
  return lines.join("\n");
}

function correctionYaml(correction: CorrectionGen): string {
  return [
    `  - id: ${correction.id}`,
    `    published: ${q(correction.published)}`,
    `    claims: ${flowList(correction.claims)}`,
    `    wrong: ${q(correction.wrong)}`,
    `    right: ${q(correction.right)}`,
    `    sources: ${flowList(correction.sources)}`,
  ].join("\n");
}

function listBlock(key: string, items: readonly string[]): string {
  return items.length === 0 ? `${key}: []` : `${key}:\n${items.join("\n")}`;
}

function versioning(version: number, firstMs: number, versionMs: number): string {
  return [`version: ${version}`, `firstCreated: ${q(isoAt(firstMs))}`, `versionCreated: ${q(isoAt(versionMs))}`].join(
    "\n",
  );
}

// ---------------------------------------------------------------------------------------------------------------

/** Writes a valid content folder into `dir` (which should be empty). Deterministic: the same sizes give the same files. */
export async function writeCorpus(dir: string, sizes: CorpusSizes = FULL_CORPUS): Promise<void> {
  await writeCorpusWithSummary(dir, sizes);
}

/** writeCorpus, also returning what it wrote, for the benchmark's notes. */
export async function writeCorpusWithSummary(dir: string, sizes: CorpusSizes = FULL_CORPUS): Promise<CorpusSummary> {
  const random = new Random(0x5eed_2026 ^ (sizes.stories * 131 + sizes.updatesPerStory * 17 + sizes.people));
  const ids = new IdBook();
  const files = new Map<string, string>();
  // Names and aliases must lead to one entity each; role aliases may not equal any of them.
  const nameKeys = new Set<string>();

  // --- sources: a pool of wire and newspaper reports, later joined by each story's own articles.
  const sourceCount = Math.max(40, Math.round(sizes.stories * 0.4));
  const sources: SourceGen[] = [];
  for (let i = 0; i < sourceCount; i += 1) {
    const publisher = random.pick(PUBLISHERS);
    const publishedMs = EPOCH + random.int(3 * 365) * DAY_MS;
    const place = random.pick(PLACES);
    const topic = random.pick(TOPICS);
    const id = ids.claim(`${slug(publisher)}-${dateOf(publishedMs)}-${slug(place)}`);
    sources.push({
      id,
      publisher,
      title: `${capitalise(topic.phrase)} in ${place}: what we know`,
      url: `https://news.example.org/${slug(publisher)}/${dateOf(publishedMs).replace(/-/g, "/")}/${slug(place)}-${topic.key}`,
      published: dateOf(publishedMs),
      cites: [],
      description: `Reporting by ${publisher} on the ${topic.phrase} in ${place}, used for background and for names and titles.`,
    });
  }
  const poolSourceIds = sources.map((s) => s.id);

  // --- organisations: one per place and kind, some belonging to a parent (a city's council).
  const orgCount = Math.max(20, Math.round(sizes.people / 16));
  const orgs: OrgGen[] = [];
  const orgPairs = PLACES.flatMap((place) => ORG_KINDS.map((kind) => ({ place, kind })));
  const shuffledPairs = orgPairs.map((pair) => ({ pair, order: random.next() })).sort((a, b) => a.order - b.order);
  const councilByPlace = new Map<string, string>();
  for (const { pair } of shuffledPairs.slice(0, orgCount)) {
    const name = `${pair.place} ${pair.kind.name}`;
    const key = normalizeKey(name);
    if (nameKeys.has(key)) continue;
    nameKeys.add(key);
    const id = ids.claim(slug(name));
    const aliases: string[] = [];
    // An acronym alias, as editors add for well-known bodies, only where it is unambiguous.
    const acronym = name
      .split(/\s+/)
      .map((w) => w.charAt(0).toUpperCase())
      .join("");
    if (acronym.length >= 3 && random.chance(0.3) && !nameKeys.has(normalizeKey(acronym))) {
      aliases.push(acronym);
      nameKeys.add(normalizeKey(acronym));
    }
    const org: OrgGen = {
      id,
      name,
      aliases,
      place: pair.place,
      kind: pair.kind.name,
      sources: random.distinct(poolSourceIds, random.between(1, 2)),
      createdMs: EPOCH + random.int(365) * DAY_MS,
    };
    if (pair.kind.name === "City Council") councilByPlace.set(pair.place, id);
    orgs.push(org);
  }
  for (const org of orgs) {
    const council = councilByPlace.get(org.place);
    if (council !== undefined && council !== org.id && random.chance(0.5)) org.parent = council;
  }

  // --- people: unique first+last pairs; popular surnames shared by many, a few compound and middle names.
  const people: PersonGen[] = [];
  const surnameCounts = new Map<string, number>();
  const rawPeople: { first: string; middle?: string; last: string }[] = [];
  const usedNames = new Set<string>();
  for (let tries = 0; rawPeople.length < sizes.people && tries < sizes.people * 40; tries += 1) {
    const first = random.pick(FIRST_NAMES);
    // Surnames are skewed (a few very common), so a bare surname is often ambiguous, as in a real newsroom.
    let last = random.skewed(SURNAMES, 1.6);
    if (random.chance(0.06)) last = `${last}-${random.pick(SURNAMES).replace(/^(van|de|Van)\s+/, "")}`;
    const middle = random.chance(0.08) ? random.pick(MIDDLE_NAMES) : undefined;
    const name = [first, middle, last].filter((w) => w !== undefined).join(" ");
    const key = normalizeKey(name);
    if (usedNames.has(key) || nameKeys.has(key) || middle === first) continue;
    usedNames.add(key);
    rawPeople.push({ first, ...(middle !== undefined && { middle }), last });
    const surnameKey = normalizeKey(name).split(" ").at(-1) ?? "";
    surnameCounts.set(surnameKey, (surnameCounts.get(surnameKey) ?? 0) + 1);
  }
  for (const raw of rawPeople) nameKeys.add(normalizeKey([raw.first, raw.middle, raw.last].filter(Boolean).join(" ")));

  for (const raw of rawPeople) {
    const name = [raw.first, raw.middle, raw.last].filter((w) => w !== undefined).join(" ");
    const surnameKey = normalizeKey(name).split(" ").at(-1) ?? "";
    const id = ids.claim(slug(name));
    const aliases: string[] = [];
    // A surname alias only where the surname is this person's alone, like "Boehler" in the real content.
    const lastKey = normalizeKey(raw.last);
    if ((surnameCounts.get(surnameKey) ?? 0) === 1 && !nameKeys.has(lastKey) && random.chance(0.7)) {
      aliases.push(raw.last);
      nameKeys.add(lastKey);
    }
    const initialled = `${raw.first.charAt(0)}. ${raw.last}`;
    if (random.chance(0.15) && !nameKeys.has(normalizeKey(initialled))) {
      aliases.push(initialled);
      nameKeys.add(normalizeKey(initialled));
    }
    const place = random.pick(PLACES);
    const role = random.pick(PERSON_ROLES);
    const roleText = role.local ? `${role.title} of ${place}` : role.title;
    const roleAliases: string[] = [];
    if (random.chance(0.3)) roleAliases.push(role.local ? `${place} ${role.title}` : role.title);
    if (random.chance(0.05)) roleAliases.push(random.pick(["spokesperson", "activist", "witness", "campaigner"]));
    const personSources = random.distinct(poolSourceIds, random.between(1, 3));
    const hasTitle = random.chance(0.7);
    const affiliationCandidates = orgs.filter((o) => o.place === place);
    const affiliation =
      affiliationCandidates.length > 0 && random.chance(0.6) ? random.pick(affiliationCandidates).id : undefined;
    const createdMs = EPOCH + random.int(2 * 365) * DAY_MS + random.int(24) * 3_600_000;
    const publisher = random.pick(PUBLISHERS);
    const body = random.chance(0.3)
      ? `${name} has worked in ${place} for most of their career. ${publisher} profiled them in its coverage; earlier roles are not covered by our sources.`
      : "";
    people.push({
      id,
      name,
      aliases,
      roleAliases: [...new Set(roleAliases.filter((r) => !nameKeys.has(normalizeKey(r))))],
      ...(hasTitle && { jobTitle: { text: capitalise(roleText), sources: [random.pick(personSources)] } }),
      ...(affiliation !== undefined && { affiliation }),
      description: `${capitalise(roleText)}, according to ${publisher}. Quoted in coverage of events in ${place}.`,
      body,
      sources: personSources,
      createdMs,
      version: random.between(1, 3),
    });
  }

  // --- stories and their updates.
  const personCast: CastMember[] = people.map((p) => ({ id: p.id, name: p.name }));
  const orgCast: CastMember[] = orgs.map((o) => ({ id: o.id, name: o.name }));
  const commands: string[] = [];
  const usedCommands = new Set<string>();
  let claimCount = 0;
  let updateCount = 0;

  const makeClaim = (
    idBase: string,
    cast: readonly CastMember[],
    orgsInStory: readonly CastMember[],
    docSources: readonly string[],
    context: string,
  ): ClaimGen => {
    const kind: ClaimKind = random.pick(["reported-fact", "reported-fact", "statement", "quote", "analysis"] as const);
    const speaker = random.chance(0.8) ? random.pick(cast) : random.pick(orgsInStory.length > 0 ? orgsInStory : cast);
    const subject = random.pick([...cast, ...orgsInStory]);
    const claimSources = random.distinct(docSources, random.between(1, Math.min(2, docSources.length)));
    claimCount += 1;
    const id = ids.claim(idBase);
    switch (kind) {
      case "reported-fact":
        return {
          id,
          kind,
          text: `${capitalise(context)}: ${subject.name} was involved in the decision, ${random.pick(PUBLISHERS)} reported, citing two officials.`,
          about: [subject.id],
          sources: claimSources,
        };
      case "statement":
        return {
          id,
          kind,
          text: `${speaker.name} ${random.pick(VERBS_SAID)} that the ${context} would be handled "in full view of the public".`,
          attributedTo: speaker.id,
          about: subject.id === speaker.id ? [] : [subject.id],
          sources: claimSources,
        };
      case "quote":
        return {
          id,
          kind,
          text: `${speaker.name} defended the handling of the ${context}.`,
          quote: `We acted on the best information we had, and we will answer every question about the ${context}`,
          attributedTo: speaker.id,
          about: [subject.id],
          sources: claimSources,
        };
      case "analysis":
        return {
          id,
          kind,
          text: `${speaker.name} said the ${context} showed how stretched local services have become, and warned it could happen again.`,
          attributedTo: speaker.id,
          about: [],
          sources: claimSources,
        };
    }
  };

  for (let s = 0; s < sizes.stories; s += 1) {
    const topic = random.pick(TOPICS);
    const place = random.pick(PLACES);
    let command = `${topic.key}-${slug(place)}`.slice(0, 32).replace(/-+$/, "");
    for (let n = 2; usedCommands.has(command); n += 1)
      command = `${topic.key}-${slug(place)}`.slice(0, 29).replace(/-+$/, "") + `-${n}`;
    usedCommands.add(command);
    commands.push(command);
    const storyId = ids.claim(command);
    const context = `${topic.phrase} in ${place}`;

    const storySources: SourceGen[] = [];
    const startMs = EPOCH + random.int(900) * DAY_MS + random.int(10) * 3_600_000;
    for (let k = 0; k < 2; k += 1) {
      const publisher = random.pick(PUBLISHERS);
      const cites = k === 0 ? random.distinct(poolSourceIds, random.between(0, 2)) : [];
      const published = dateOf(startMs + k * DAY_MS);
      const source: SourceGen = {
        id: ids.claim(`${slug(publisher)}-${storyId}`),
        publisher,
        title: `${capitalise(topic.phrase)} in ${place}${k === 0 ? ": the full story" : ", live report"}`,
        url: `https://news.example.org/${slug(publisher)}/${published.replace(/-/g, "/")}/${storyId}`,
        published,
        cites,
        description: `${publisher}'s reporting on the ${context}.`,
      };
      storySources.push(source);
      sources.push(source);
    }
    const docSources = [...storySources.map((x) => x.id), ...random.distinct(poolSourceIds, 2)];

    // A few people appear in many stories (skewed pick), like a head of state; most appear in one or two.
    const cast = random.distinct(personCast, random.between(3, 8), (xs) => random.skewed(xs, 2.5));
    const orgsInStory = random.distinct(orgCast, random.between(1, 4), (xs) => random.skewed(xs, 1.5));

    const storyClaims = Array.from({ length: random.between(2, 3) }, (_, c) =>
      makeClaim(`${storyId}-claim-${c + 1}`, cast, orgsInStory, docSources, context),
    );
    const storyCorrections: CorrectionGen[] = [];
    if (random.chance(0.03)) {
      const target = random.pick(storyClaims);
      storyCorrections.push({
        id: ids.claim(`${storyId}-correction-1`),
        published: isoAt(startMs + 3 * DAY_MS),
        claims: [target.id],
        wrong: `An earlier version named the wrong official in connection with the ${context}.`,
        right: `The official concerned is ${cast[0]?.name ?? "unnamed"}.`,
        sources: [at(docSources, 0)],
      });
    }

    // --- updates, oldest first, with event times at the precision an editor would know.
    let eventMs = startMs;
    let lastVersionMs = startMs;
    const updateSummaries: string[] = [];
    for (let u = 0; u < sizes.updatesPerStory; u += 1) {
      eventMs += random.between(1, 20) * DAY_MS + random.int(12) * 3_600_000;
      const precision = random.next();
      let eventTime: string;
      if (precision < 0.4) eventTime = isoAt(eventMs);
      else if (precision < 0.9) eventTime = dateOf(eventMs);
      else eventTime = dateOf(eventMs).slice(0, 7);
      const development = random.pick(DEVELOPMENTS);
      const prefix = eventTime.length === 7 ? eventTime : eventTime.slice(0, 10);
      const updateId = ids.claim(`${prefix}-${storyId}-${slug(development)}`);
      const lead = random.pick(cast);
      const headline = `${capitalise(topic.phrase)} in ${place}: ${development}, says ${lead.name}`;
      const summary = `${lead.name} ${random.pick(VERBS_SAID)} that ${development} after a week of pressure from ${topic.actor}. ${random.pick(PUBLISHERS)} reported that the ${context} is far from over; figures given by officials could not be independently confirmed.`;
      updateSummaries.push(headline);
      const updateSources = random.distinct(docSources, random.between(1, 3));
      const claims = Array.from({ length: random.between(1, 3) }, (_, c) =>
        makeClaim(`${updateId}-c${c + 1}`, cast, orgsInStory, docSources, context),
      );
      const corrections: CorrectionGen[] = [];
      const firstMs = eventMs + 2 * 3_600_000;
      const version = random.chance(0.1) ? 2 : 1;
      const versionMs = firstMs + (version - 1) * DAY_MS;
      lastVersionMs = Math.max(lastVersionMs, versionMs);
      if (random.chance(0.04)) {
        const target = random.pick(claims);
        corrections.push({
          id: ids.claim(`${updateId}-correction`),
          published: isoAt(versionMs),
          claims: [target.id],
          wrong: `We said the ${development} was announced by the mayor's office.`,
          right: `It was announced by ${lead.name}.`,
          sources: [random.pick(docSources)],
        });
      }
      const status = random.chance(0.01) ? "withheld" : "usable";
      const body = random.chance(0.2)
        ? `${lead.name}'s remarks came hours after ${topic.actor} gathered outside the offices involved.`
        : "";
      const text = [
        "---",
        `id: ${updateId}`,
        `story: ${storyId}`,
        `eventTime: ${q(eventTime)}`,
        `headline: ${q(headline)}`,
        `summary: ${q(summary)}`,
        `significance: ${random.chance(0.3) ? "major" : "minor"}`,
        `sources: ${flowList(updateSources)}`,
        listBlock("claims", claims.map(claimYaml)),
        ...(corrections.length > 0 ? [listBlock("corrections", corrections.map(correctionYaml))] : []),
        versioning(version, firstMs, versionMs),
        `pubStatus: ${status}`,
        "---",
        body,
      ].join("\n");
      files.set(`stories/${storyId}/updates/${updateId}.md`, `${text}\n`);
      updateCount += 1;
    }

    const keyPoints = Array.from({ length: random.between(3, 6) }, (_, k) => {
      const who = random.pick(cast);
      return `  - text: ${q(`${who.name} is central to the ${context}; ${k === 0 ? "the first reports" : "later reports"} were headlined “${random.pick(DEVELOPMENTS)}”.`)}\n    sources: ${flowList(random.distinct(docSources, random.between(1, 2)))}`;
    });
    const openQuestions = random
      .distinct(OPEN_QUESTIONS, random.between(1, 3))
      .map((question) => `  - text: ${q(question)}\n    sources: ${flowList([at(docSources, 0)])}`);
    const peopleRefs = cast.map((c, i) => `  - { ref: ${c.id}, rel: ${i < 2 ? "about" : "mentions"} }`);
    const orgRefs = orgsInStory.map((c, i) => `  - { ref: ${c.id}, rel: ${i === 0 ? "about" : "mentions"} }`);
    const headline = `${capitalise(topic.phrase)} in ${place}: ${cast[0]?.name ?? "officials"} under pressure as ${topic.actor} demand answers`;
    const summary = `The ${context} has drawn in ${cast
      .map((c) => c.name)
      .slice(0, 4)
      .join(
        ", ",
      )} and ${orgsInStory[0]?.name ?? "local officials"}. ${capitalise(topic.actor)} say promises were broken; officials say the response was lawful and proportionate. ${updateSummaries.at(-1) ?? ""}`.slice(
      0,
      1000,
    );
    const body = [
      "## What happened",
      "",
      `${capitalise(topic.actor)} in ${place} have spent weeks pressing for answers over the ${topic.phrase}. ${cast[0]?.name ?? "Officials"} has said little in public.`,
      "",
      "## Who is involved",
      "",
      cast.map((c) => `- **${c.name}**`).join("\n"),
      "",
      "## What we do not know",
      "",
      `It is not yet clear who took the key decisions, or when. Reporting by ${storySources.map((x) => x.publisher).join(" and ")} differs on the timeline.`,
    ].join("\n");
    const storyText = [
      "---",
      `id: ${storyId}`,
      `command: ${command}`,
      `headline: ${q(headline.slice(0, 150))}`,
      `summary: ${q(summary)}`,
      listBlock("keyPoints", keyPoints),
      listBlock("openQuestions", openQuestions),
      listBlock("people", peopleRefs),
      listBlock("organisations", orgRefs),
      `sources: ${flowList(storySources.map((x) => x.id))}`,
      listBlock("claims", storyClaims.map(claimYaml)),
      listBlock("corrections", storyCorrections.map(correctionYaml)),
      versioning(random.between(1, 4), startMs, Math.max(startMs, lastVersionMs)),
      "pubStatus: usable",
      "---",
      body,
    ].join("\n");
    files.set(`stories/${storyId}/story.md`, `${storyText}\n`);
  }

  // --- write entities and sources last: stories above added their own sources to the list.
  for (const person of people) {
    const lines = ["---", `id: ${person.id}`, `name: ${q(person.name)}`];
    if (person.aliases.length > 0)
      lines.push(
        listBlock(
          "aliases",
          person.aliases.map((a) => `  - ${q(a)}`),
        ),
      );
    if (person.roleAliases.length > 0)
      lines.push(
        listBlock(
          "roleAliases",
          person.roleAliases.map((r) => `  - ${q(r)}`),
        ),
      );
    if (person.jobTitle)
      lines.push(`jobTitle:\n  text: ${q(person.jobTitle.text)}\n  sources: ${flowList(person.jobTitle.sources)}`);
    if (person.affiliation !== undefined) lines.push(`affiliation: ${person.affiliation}`);
    lines.push(
      `description: ${q(person.description)}`,
      `sources: ${flowList(person.sources)}`,
      versioning(person.version, person.createdMs, person.createdMs + (person.version - 1) * 30 * DAY_MS),
      "pubStatus: usable",
      "---",
      person.body,
    );
    files.set(`people/${person.id}.md`, `${lines.join("\n")}\n`);
  }
  for (const org of orgs) {
    const lines = ["---", `id: ${org.id}`, `name: ${q(org.name)}`];
    if (org.aliases.length > 0)
      lines.push(
        listBlock(
          "aliases",
          org.aliases.map((a) => `  - ${q(a)}`),
        ),
      );
    const role = ORG_KINDS.find((k) => k.name === org.kind)?.role;
    if (role !== undefined && !nameKeys.has(normalizeKey(role)))
      lines.push(listBlock("roleAliases", [`  - ${q(role)}`]));
    if (org.parent !== undefined) lines.push(`parentOrganization: ${org.parent}`);
    lines.push(
      `description: ${q(`The ${org.kind.toLowerCase()} in ${org.place}.`)}`,
      `sources: ${flowList(org.sources)}`,
      versioning(1, org.createdMs, org.createdMs),
      "pubStatus: usable",
      "---",
      "",
    );
    files.set(`organisations/${org.id}.md`, lines.join("\n"));
  }
  for (const source of sources) {
    const lines = [
      `id: ${source.id}`,
      `publisher: ${q(source.publisher)}`,
      `title: ${q(source.title)}`,
      `url: ${q(source.url)}`,
      `published: ${q(source.published)}`,
    ];
    if (source.cites.length > 0) lines.push(`cites: ${flowList(source.cites)}`);
    lines.push(`description: ${q(source.description)}`);
    files.set(`sources/${source.id}.yaml`, `${lines.join("\n")}\n`);
  }

  await writeAll(dir, files);
  return {
    files: files.size,
    stories: sizes.stories,
    updates: updateCount,
    people: people.length,
    organisations: orgs.length,
    sources: sources.length,
    claims: claimCount,
    personNames: people.map((p) => p.name),
    sharedSurnames: [...surnameCounts].filter(([, n]) => n > 1).map(([key]) => key),
    commands,
  };
}

/** Writes files a batch at a time: thousands of parallel writes would exhaust file descriptors. */
async function writeAll(dir: string, files: ReadonlyMap<string, string>): Promise<void> {
  const folders = new Set([...files.keys()].map((rel) => path.dirname(path.join(dir, rel))));
  for (const folder of folders) await mkdir(folder, { recursive: true });
  const entries = [...files];
  const BATCH = 64;
  for (let i = 0; i < entries.length; i += BATCH) {
    await Promise.all(entries.slice(i, i + BATCH).map(([rel, text]) => writeFile(path.join(dir, rel), text, "utf8")));
  }
}
