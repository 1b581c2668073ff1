import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { ThemeEntity } from './theme.entity.js';

/** An enjeu under a theme. */
@Entity({ name: 'stakes' })
@Index('ux_stakes_theme_position', ['theme', 'position'], { unique: true })
export class StakeEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ManyToOne(() => ThemeEntity, { nullable: false, onDelete: 'CASCADE' })
  theme!: Relation<ThemeEntity>;

  @Column({ type: 'uuid' })
  themeId!: string;

  @Column({ type: 'text' })
  label!: string;

  @Column({ type: 'smallint' })
  position!: number;
}
