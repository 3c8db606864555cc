import { describe, expect, it } from 'vitest';
import { membersCsv, membersSha256Csv } from './members-csv.js';
import { sha256Hex } from './contact-hashing.js';

const member = (over: Partial<{ person_id: string; customer_id: string; email: string; email_sha256: string; phone: string }>) => ({
  person_id: 'p', customer_id: '', email: '', email_sha256: '', phone: '', ...over,
});

describe('members CSV', () => {
  it('quotes commas, quotes and line breaks (RFC 4180) and defuses spreadsheet formulas', () => {
    expect(membersCsv([member({ person_id: 'a,b', email: 'say "hi"@x.com', phone: '=HYPERLINK("x")' }), member({ person_id: 'c\nd' })])).toBe(
      'person_id,customer_id,email,phone\r\n"a,b",,"say ""hi""@x.com","\'=HYPERLINK(""x"")"\r\n"c\nd",,,\r\n',
    );
  });

  it('sha256: only members with a usable contact, normalised before hashing', () => {
    expect(
      membersSha256Csv([
        member({ email: 'A.B@Gmail.com' }),
        member({ phone: '030 123456' }), // no country code: skipped, and no email → row left out
        member({ email_sha256: sha256Hex('pre@hashed.com').toUpperCase(), phone: '+1 650 555 0100' }),
      ]),
    ).toBe(`Email,Phone\r\n${sha256Hex('ab@gmail.com')},\r\n${sha256Hex('pre@hashed.com')},${sha256Hex('+16505550100')}\r\n`);
  });
});
