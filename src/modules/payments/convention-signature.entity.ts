import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { ConventionEntity } from '../conventions/convention.entity.js';

/** The party of a signature: the holder, or a granting financer's partner code. */
export const HOLDER_PARTY = 'HOLDER';

/** One party's signature of a convention: the date it signed, recorded by the city team. */
@Entity({ name: 'convention_signatures' })
@Index('ux_convention_signatures_party', ['convention', 'party'], { unique: true })
export class ConventionSignatureEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ManyToOne(() => ConventionEntity, { nullable: false, onDelete: 'CASCADE' })
  convention!: Relation<ConventionEntity>;

  @Column({ type: 'uuid' })
  conventionId!: string;

  /** `HOLDER` or the financer's partner code. */
  @Column({ type: 'varchar', length: 20 })
  party!: string;

  @Column({ type: 'date' })
  signedOn!: string;

  @Column({ type: 'uuid' })
  recordedBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
