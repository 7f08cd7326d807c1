/**
 * Who may change the installation's settings: the office's identity (name, province,
 * contacts, logo) is what the public pages, mails and share cards say, so only admins.
 */
import { allow } from '../../platform/policy/index.ts'

allow(['admin'], 'manage', 'settings')
