import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Public, Roles } from '../../common/auth.js';
import { AccountsService, toUserDto } from './accounts.service.js';
import { ROLES } from '../../common/auth.js';
import {
  CreateUserDto,
  LoginDto,
  LoginResultDto,
  RegisterDto,
  RegisterResultDto,
  UserDto,
} from './dto/auth.dto.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly accounts: AccountsService) {}

  /** Registers a project holder (association) and its first member. */
  @Public()
  @Post('register')
  register(@Body() body: RegisterDto): Promise<RegisterResultDto> {
    return this.accounts.register(body);
  }

  /** Exchanges credentials for a bearer token; rate-limited per address and e-mail (see login-rate-limit.ts). */
  @Public()
  @HttpCode(200)
  @Post('login')
  login(@Body() body: LoginDto): Promise<LoginResultDto> {
    return this.accounts.login(body.email, body.password);
  }

  /** The signed-in user, with its role, organisation, partner and contract. */
  @ApiBearerAuth()
  @Roles(...ROLES)
  @Get('me')
  me(@CurrentUser() user: AuthUser): UserDto {
    return toUserDto(user);
  }
}

@ApiTags('auth')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly accounts: AccountsService) {}

  /** Creates a financer's reviewer or a city-team member (CITY_TEAM only). */
  @Roles('CITY_TEAM')
  @Post()
  create(@CurrentUser() user: AuthUser, @Body() body: CreateUserDto): Promise<UserDto> {
    return this.accounts.createUser(user, body);
  }
}
