import { z } from 'zod';
import { emailField, requiredText } from '../web/validation';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords';

export const loginSchema = z.object({
  email: z.string({ error: 'L’adresse e-mail est obligatoire.' }).trim().min(1, 'L’adresse e-mail est obligatoire.').max(254, 'L’adresse e-mail est trop longue.'),
  password: z
    .string({ error: 'Le mot de passe est obligatoire.' })
    .min(1, 'Le mot de passe est obligatoire.')
    .max(PASSWORD_MAX_LENGTH, 'Le mot de passe est trop long.'),
});

const newPassword = z
  .string({ error: 'Choisissez un mot de passe.' })
  .min(PASSWORD_MIN_LENGTH, `Le mot de passe doit faire au moins ${PASSWORD_MIN_LENGTH} caractères.`)
  .max(PASSWORD_MAX_LENGTH, `Le mot de passe ne peut pas dépasser ${PASSWORD_MAX_LENGTH} caractères.`);

const confirmationMatches = {
  path: ['passwordConfirm'],
  message: 'Les deux mots de passe ne sont pas identiques.',
};
const passwordConfirm = z.string().optional().default('');

export const setupSchema = z
  .object({ email: emailField, name: requiredText('Le nom', 120), password: newPassword, passwordConfirm })
  .refine((v) => v.password === v.passwordConfirm, confirmationMatches);

export const choosePasswordSchema = z
  .object({ password: newPassword, passwordConfirm })
  .refine((v) => v.password === v.passwordConfirm, confirmationMatches);

export const changePasswordSchema = z
  .object({
    currentPassword: z.string({ error: 'Saisissez votre mot de passe actuel.' }).min(1, 'Saisissez votre mot de passe actuel.').max(PASSWORD_MAX_LENGTH, 'Le mot de passe est trop long.'),
    password: newPassword,
    passwordConfirm,
  })
  .refine((v) => v.password === v.passwordConfirm, confirmationMatches);
