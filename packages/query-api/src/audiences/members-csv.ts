import type { AudienceMemberRow } from '../queries/audience-members.js';
import { hashedEmail, hashedPhone } from './contact-hashing.js';

/** RFC 4180 field; a leading = or @ is prefixed with ' so a spreadsheet never runs it as a formula. */
function field(value: string): string {
  const safe = /^[=@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const line = (values: string[]) => `${values.map(field).join(',')}\r\n`;

export function membersCsv(members: AudienceMemberRow[]): string {
  return line(['person_id', 'customer_id', 'email', 'phone']) + members.map((m) => line([m.person_id, m.customer_id, m.email, m.phone])).join('');
}

/**
 * The hashed upload for ad platforms: Google Customer Match's "Email,Phone" columns, each a lowercase hex SHA-256 of
 * the normalised value (contact-hashing.ts). Members with neither contact are left out: a row without an
 * identifier can never match.
 */
export function membersSha256Csv(members: AudienceMemberRow[]): string {
  let out = line(['Email', 'Phone']);
  for (const m of members) {
    const email = hashedEmail(m.email, m.email_sha256) ?? '';
    const phone = hashedPhone(m.phone) ?? '';
    if (email !== '' || phone !== '') out += line([email, phone]);
  }
  return out;
}
