import { describe, expect, it } from 'vitest';
import { detect } from './detect.ts';
import type { EntityType } from './entities.ts';

function found(text: string, types?: EntityType[]): Array<[string, string]> {
  return detect(text, types).map((f) => [f.type, text.slice(f.start, f.end)]);
}

describe('structured detectors', () => {
  it('find each type with its checksum or validator', () => {
    const text =
      'Mail ana.ruiz@example.org or call +1 415 555 2671. Card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, SSN 123-45-6789, host 84.17.35.2 and 2001:db8:85a3::8a2e:370:7334.';
    expect(found(text)).toEqual([
      ['email', 'ana.ruiz@example.org'],
      ['phone', '+1 415 555 2671'],
      ['card', '4111 1111 1111 1111'],
      ['iban', 'DE89 3704 0044 0532 0130 00'],
      ['ssn', '123-45-6789'],
      ['ip', '84.17.35.2'],
      ['ip', '2001:db8:85a3::8a2e:370:7334'],
    ]);
  });

  it('reject look-alikes: bad Luhn, bad IBAN check digits, never-issued SSNs, private IPs, versions, dates, decimals', () => {
    const text =
      'Order 4111 1111 1111 1112, IBAN DE88 3704 0044 0532 0130 00, SSN 000-12-3456 or 666-12-3456, server 10.0.0.12 and 192.168.1.1, version 1.2.3.4.5, on 2024-01-15 12:30, ratio 0.995773256, years 2000-2023.';
    expect(found(text, ['card', 'iban', 'ssn', 'ip', 'phone'])).toEqual([]);
  });

  it('takes a national number by its shape, a plain digit run only after a cue, an international one when possible for its country', () => {
    expect(found('Phone:\n467 3395', ['phone'])).toEqual([['phone', '467 3395']]);
    expect(found('Her new number is 4673395.', ['phone'])).toEqual([['phone', '4673395']]);
    expect(found('Call me at 0490 75 40 81 tonight', ['phone'])).toEqual([['phone', '0490 75 40 81']]);
    expect(found('see +1 415 555 and +999 123 4567 and 42', ['phone'])).toEqual([]);
  });

  it.each([
    '(415) 555-2671',
    '415.555.2671',
    '020 7946 0958',
    '+44 20 7946 0958',
    '01 23 45 67 89',
    '0412 345 678',
    '(02) 9876 5432',
    '+49 30 12345678',
    '+14155552671',
    '030 1234567',
    '467 3395',
    '99 668472',
    '699 956 915',
    '0490 75 40 81',
    '03.93.92.16.85',
    '60-56-85-91',
    '0961-7596216',
    '08-123 45 67',
    '(71) 4233-6306',
    '(898)666-3621x0135',
    '1-800-555-1234',
    '8 (912) 345-67-89',
    '+41 (0)71 526 99 04',
    '+49(0)30 1234567',
    '+1-903-140-4508x769',
    '001-253-366-9781',
  ])('finds %s in prose without a cue', (number) => {
    expect(found(`I left the details with ${number} yesterday.`, ['phone'])).toEqual([['phone', number]]);
  });

  it.each([
    '(+44) 20 7946 0958',
    '0044 20 7946 0958',
    '+86 311 7638 9953 x123',
    '+1 415 555 2671 ext. 45',
    '0961-7596216, ext. 12',
    '030/1234567',
    '(06)30/123-4567',
    '555-1212',
    '9123-4567',
    '04782-93054',
    '2 22 67 79 41',
    '(7) 1693 6843',
    '8 029 491-19-11',
    '34-10-1234',
    '2015550123',
    '07400123456',
    // Shapes added after measuring the detector on Python Faker's numbers (scripts/phone-pyfaker-recall.ts).
    '001-835-337-4068x1241',
    '+1-865-707-0499x962',
    '073.662.5851x781',
    '(303)883-6859x12',
    '0474.284.352',
    '03.9405.5761',
    '(03).7354.8643',
    '06-1/291 1028',
    '06-56/815 1884',
    '13784133017',
    '00932081967',
    '0030225021',
    // A shape of Presidio's own generator (scripts/phone-presidio-generator-recall.ts): three digits, a hyphen, seven.
    '569-4572869',
  ])('finds the written form %s without a cue', (number) => {
    expect(found(`I left the details with ${number} yesterday.`, ['phone'])).toEqual([['phone', number]]);
  });

  it.each([
    ['Tel.+44 20 7946 0958', '+44 20 7946 0958'],
    ['(0044 20 7946 0958)', '0044 20 7946 0958'],
    ['(+250 (0)720 123 456)', '+250 (0)720 123 456'],
    ['tel:+1-415-555-2671', '+1-415-555-2671'],
    ['phone:+14155552671.', '+14155552671'],
  ])('takes the number glued to punctuation or words in %s', (text, number) => {
    expect(found(text, ['phone'])).toEqual([['phone', number]]);
  });

  // Contexts measured by scripts/phone-context-recall.ts: a ZIP code before, a CSV field after, a clause-ending colon.
  it.each([
    ['Seattle, WA 98101 +44 20 7946 0958', '+44 20 7946 0958'],
    ['Seattle, WA 98101 (206) 555-0134', '(206) 555-0134'],
    ['Berlin 10115 030/1234567', '030/1234567'],
    ['Ana,Holt,555-0134,98101', '555-0134'],
    ['Ana,Holt,+44 20 7946 0958,98101', '+44 20 7946 0958'],
    ['Ana,Holt,020 7946 0958,98101', '020 7946 0958'],
    ['Her number 415-555-2671: call after six.', '415-555-2671'],
    ['Phone 020 7946 0958:', '020 7946 0958'],
  ])('takes the number next to other numbers or a colon in %s', (text, number) => {
    expect(found(text, ['phone'])).toEqual([['phone', number]]);
  });

  it.each([
    ['a decimal comma after thousands or a plain run', 'paid 12 345 678,90 and 1234567,89 in all'],
    ['clock times, ports and ratios after a colon', 'at 2024 555 0134:30, host 10 123 4567:8080 and 0171 1234567:1'],
    ['a row of numbers led by a longer one', '98101 88 89 90 93 84'],
    ['the tail of a rejected run of groups', 'sizes 12 345 678 901 234 567, IBAN DE88 3704 0044 0532 0130 00'],
  ])('still rejects %s', (_, text) => {
    expect(found(text, ['phone'])).toEqual([]);
  });

  it.each(['4673395', '31234567', '1234567890'])('needs a cue for the unseparated number %s', (number) => {
    expect(found(`I left the details with ${number} yesterday.`, ['phone'])).toEqual([]);
    expect(found(`Call me on ${number} tomorrow.`, ['phone'])).toEqual([['phone', number]]);
  });

  it.each([
    ['ranges', 'pages 1495-1505, 800-1000 words, 20000-30000 per month, 100-2500000 rows'],
    ['decimals, DOIs and dotted amounts', 'x = 439.799858, doi 10.48550/arXiv, 1946$ 209.644.06, 93,900 12.65'],
    ['a ZIP+4 code', 'Boston, MA 02134-1234'],
    ['years', 'clubs 1976 1976 1976 -- 1998 1999 2001 (1914-1922)'],
    ['binary', 'the number 1001 0011, then 1101 0111'],
    ['a row of numbers', 'counts: 97 79 88 91 88 86 104 89 91 92 103 96 101'],
    ['a number with a longer first group', 'the vector file holds 2050151 32'],
    ['thousands', 'about 1 234 567 people, 10 000 000 in all'],
    ['hyphenated ranges and differences', 'pages 1234-1298, ports 8000-8080, open 0900-1700, 3000-2000 votes, 2400-1200 = 1200'],
    ['dates with a day and a month', 'on 12/31/2024, 31.12.2024 and 24-12-2023'],
    ['a digit run in a path', 'see /status/0301234567 and /users/2015550123/'],
    ['timestamps and round counts', 'stamp 1722347644, up to 1000000000'],
    ['arithmetic', '<<1000-450-300=250>> and 180-85-36=59'],
    ['dotted versions, dates and decimals', 'v0.123.4567, 03.2024.1234, 1.250.000 and 0474.28'],
    ['slashed fractions and dates after a hyphen', '06-1/2024, 12-3/4567 8901 and 06-1/29'],
    ['round amounts and zero-padded or short runs', '15000000000 won, 0010000000, 0000123456, 0010110101 and 00123456'],
    ['runs one digit off the mobile and double-zero lengths', '137841330170 and 0093208196712345'],
  ])('rejects %s', (_, text) => {
    expect(found(text, ['phone'])).toEqual([]);
  });

  it('leaves cards, IBANs and IPs to their own detectors next to the new phone shapes', () => {
    const text = 'Card 4111111111111111, IBAN DE89370400440532013000, host 84.17.35.2 and 010.123.45.67, phone 13784133017.';
    expect(found(text)).toEqual([
      ['card', '4111111111111111'],
      ['iban', 'DE89370400440532013000'],
      ['ip', '84.17.35.2'],
      ['phone', '13784133017'],
    ]);
  });

  it('an SSH remote is not an email', () => {
    expect(found('clone git@github.com:org/repo.git', ['email'])).toEqual([]);
  });
});

describe('secret detectors', () => {
  const cases: Array<[string, string]> = [
    ['openai', 'sk-proj-Ab12Cd34Ef56Gh78Ij90T3BlbkFJKl12Mn34Op56Qr78'],
    ['anthropic', 'sk-ant-api03-' + 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5kL7nP9rS1tU3'],
    ['aws-access-key', 'AKIAZ7Q2M4N6P8R1T3V5'],
    ['github', 'ghp_' + 'R4nd0mT0k3nV4lu3sAr3L0ngEn0ugh12345678'],
    ['slack-token', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'],
    ['stripe', 'sk_live_' + '51HqLyjWDarjtT1zdp7dcXYZabc'],
    ['gcp-api-key', 'AIza' + 'SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY'],
    ['jwt', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
  ];
  it.each(cases)('finds %s keys in prose', (rule, key) => {
    const hits = detect(`Here is the key ${key} — please keep it safe.`, ['secret']);
    expect(hits.map((h) => h.rule)).toEqual([rule]);
  });

  it('finds the password of a connection string, not its placeholder', () => {
    expect(found('use postgres://app:S3cretPw9x@db.internal:5432/main', ['secret'])).toEqual([['secret', 'S3cretPw9x']]);
    expect(found('e.g. postgres://user:password@localhost/db or https://${USER}:${PASS}@host', ['secret'])).toEqual([]);
  });

  it('finds a PEM private key but not a placeholder one', () => {
    const body = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDndJt7NaG8T64/qMJ9QyvAY42n1+m0aOk5DAvPgKwaAFOWz';
    const key = `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----`;
    expect(found(`key:\n${key}\n`, ['secret'])).toEqual([['secret', key]]);
    expect(found('-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----', ['secret'])).toEqual([]);
  });

  it('finds passwords assigned in config, not code that reads them', () => {
    expect(found('DB_PASSWORD=Tr0ub4dor&3x', ['secret'])).toEqual([['secret', 'Tr0ub4dor&3x']]);
    expect(found('password = os.environ["DB_PASSWORD"]', ['secret'])).toEqual([]);
  });
});

describe('names and addresses', () => {
  it('finds a known given name with its surname, and a cued name', () => {
    expect(found('Please forward this to Maria Kowalski today.', ['person'])).toEqual([['person', 'Maria Kowalski']]);
    expect(found('Dear Mr. Okonkwo, thanks.', ['person'])).toEqual([['person', 'Okonkwo']]);
  });

  it('finds a street address with its locality', () => {
    expect(found('Ship it to 742 Evergreen Terrace, Springfield, OR 97403.', ['address'])).toEqual([['address', '742 Evergreen Terrace, Springfield, OR 97403']]);
  });

  it('a secret URL wins over the email-like text inside it', () => {
    expect(detect('https://deploy:Xy7pQ2wLm9@files.example.com').map((f) => f.type)).toEqual(['secret']);
  });
});
